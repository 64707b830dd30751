package io.tokenroll.pkcs11.internal;

import io.tokenroll.pkcs11.SignatureAlgorithm;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
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
   * X9.62); X.509 and PKCS#10 need DER {@code SEQUENCE{r, s}}.
   */
  static byte[] ecdsaToDer(byte[] signature) {
    if (signature.length == 0 || signature.length % 2 != 0) {
      throw new IllegalArgumentException("ECDSA signature of odd length " + signature.length);
    }
    int half = signature.length / 2;
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, half));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, half, signature.length));
    try {
      return new DERSequence(new ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
