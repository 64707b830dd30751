package io.tokenroll.pkcs11.internal;

import io.tokenroll.pkcs11.SignatureAlgorithm;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;

/** Host-side encodings around raw token mechanisms: PKCS#1 DigestInfo in, DER ECDSA signatures out. */
final class SignatureEncoding {
  private SignatureEncoding() {
  }

  /** The DigestInfo CKM_RSA_PKCS signs for PKCS#1 v1.5 (RFC 8017 §9.2), with NULL parameters. */
  static byte[] digestInfo(SignatureAlgorithm algorithm, byte[] digest) {
    ASN1ObjectIdentifier oid = switch (algorithm.digest()) {
      case "SHA-1" -> OIWObjectIdentifiers.idSHA1;
      case "SHA-256" -> NISTObjectIdentifiers.id_sha256;
      case "SHA-384" -> NISTObjectIdentifiers.id_sha384;
      default -> NISTObjectIdentifiers.id_sha512;
    };
    try {
      return new DigestInfo(new AlgorithmIdentifier(oid, DERNull.INSTANCE), digest).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * PKCS#11 returns ECDSA signatures as raw {@code r||s} (the wrapper also normalises modules that answer in
   * X9.62); X.509 and PKCS#10 need DER {@code SEQUENCE{r, s}}. Encoded by hand: it runs on every signature.
   */
  static byte[] ecdsaToDer(byte[] signature) {
    if (signature.length == 0 || signature.length % 2 != 0) {
      throw new IllegalArgumentException("ECDSA signature of odd length " + signature.length);
    }
    int half = signature.length / 2;
    int rStart = firstNonZero(signature, 0, half);
    int sStart = firstNonZero(signature, half, signature.length);
    int rLen = half - rStart + ((signature[rStart] & 0x80) != 0 ? 1 : 0);
    int sLen = signature.length - sStart + ((signature[sStart] & 0x80) != 0 ? 1 : 0);
    int content = 2 + rLen + 2 + sLen;
    byte[] out = new byte[(content < 128 ? 2 : 3) + content];
    int p = 0;
    out[p++] = 0x30;
    if (content >= 128) {
      out[p++] = (byte) 0x81;
    }
    out[p++] = (byte) content;
    p = integer(out, p, signature, rStart, half, rLen);
    integer(out, p, signature, sStart, signature.length, sLen);
    return out;
  }

  /** Skips leading zero bytes but keeps one byte for a zero value. */
  private static int firstNonZero(byte[] b, int from, int to) {
    int i = from;
    while (i < to - 1 && b[i] == 0) {
      i++;
    }
    return i;
  }

  private static int integer(byte[] out, int p, byte[] src, int from, int to, int len) {
    out[p++] = 0x02;
    out[p++] = (byte) len;
    if (len > to - from) {
      out[p++] = 0x00; // keep the INTEGER positive
    }
    System.arraycopy(src, from, out, p, to - from);
    return p + to - from;
  }
}
