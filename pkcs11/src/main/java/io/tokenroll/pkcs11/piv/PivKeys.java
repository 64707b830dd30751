package io.tokenroll.pkcs11.piv;

import io.tokenroll.pkcs11.Curve;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;

/**
 * Keys on a PIV card: the algorithm numbers of SP 800-78-4 (Table 6-2), the public key a GENERATE answers with
 * (7F49 { 81 modulus, 82 exponent } or { 86 point }), and the input GENERAL AUTHENTICATE signs — the card does the
 * raw private-key operation only, so PKCS#1 v1.5 padding of the DigestInfo, and the hash cut to the curve's size,
 * are made here.
 */
final class PivKeys {
  static final Set<KeySpec> SPECS = Set.of(KeySpec.rsa(2048), KeySpec.ec(Curve.P256), KeySpec.ec(Curve.P384));

  private PivKeys() {
  }

  static int algorithm(KeySpec spec) throws TokenUnsupportedException {
    if (spec.equals(KeySpec.rsa(2048))) {
      return 0x07;
    }
    if (spec.equals(KeySpec.ec(Curve.P256))) {
      return 0x11;
    }
    if (spec.equals(KeySpec.ec(Curve.P384))) {
      return 0x14;
    }
    throw new TokenUnsupportedException("a PIV card cannot generate " + spec + ": it makes RSA-2048, P-256 and P-384 "
        + "keys");
  }

  static int algorithm(PublicKey key) throws TokenUnsupportedException {
    return algorithm(KeySpec.of(key));
  }

  /** The public key in a GENERATE answer (a 7F49 template), of the spec that was asked for. */
  static PublicKey fromGenerated(byte[] answer, KeySpec spec) throws GeneralSecurityException {
    Map<Integer, byte[]> parts = Tlv.read(Tlv.value(answer, 0x7F49, "the generated public key"));
    if (spec.type() == KeySpec.Type.RSA) {
      byte[] n = parts.get(0x81);
      byte[] e = parts.get(0x82);
      if (n == null || e == null) {
        throw new IllegalArgumentException("the generated RSA key lacks its modulus or exponent");
      }
      RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
          new RSAPublicKeySpec(new BigInteger(1, n), new BigInteger(1, e)));
      if (key.getModulus().bitLength() != spec.bits()) {
        throw new IllegalArgumentException("the card made a " + key.getModulus().bitLength() + "-bit key, not "
            + spec.bits());
      }
      return key;
    }
    byte[] point = parts.get(0x86);
    java.security.AlgorithmParameters ap = java.security.AlgorithmParameters.getInstance("EC");
    ap.init(new java.security.spec.ECGenParameterSpec(spec.curve().oid().getId()));
    ECParameterSpec params = ap.getParameterSpec(ECParameterSpec.class);
    int size = (params.getCurve().getField().getFieldSize() + 7) / 8;
    if (point == null || point.length != 1 + 2 * size || point[0] != 0x04) {
      throw new IllegalArgumentException("the generated EC key is not an uncompressed point of " + spec.curve());
    }
    ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + size)),
        new BigInteger(1, Arrays.copyOfRange(point, 1 + size, point.length)));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params)); // checks the point
  }

  /** What the card's raw operation signs for {@code digest}: a padded DigestInfo (RSA) or the cut hash (EC). */
  static byte[] signatureInput(PublicKey key, SignatureAlgorithm algorithm, byte[] digest) throws Exception {
    if (key instanceof RSAPublicKey rsa) {
      if (algorithm.padding() != SignatureAlgorithm.Padding.PKCS1) {
        throw new TokenUnsupportedException("tokenroll signs with PIV RSA keys in PKCS#1 v1.5 only, not "
            + algorithm.jcaName());
      }
      AlgorithmIdentifier hash = new DefaultDigestAlgorithmIdentifierFinder().find(algorithm.digest());
      byte[] info = new DigestInfo(hash, digest).getEncoded("DER");
      int k = (rsa.getModulus().bitLength() + 7) / 8;
      byte[] block = new byte[k]; // 00 01 FF…FF 00 DigestInfo (RFC 8017, 9.2)
      block[1] = 0x01;
      Arrays.fill(block, 2, k - info.length - 1, (byte) 0xFF);
      System.arraycopy(info, 0, block, k - info.length, info.length);
      return block;
    }
    int size = (((ECPublicKey) key).getParams().getCurve().getField().getFieldSize() + 7) / 8;
    // ECDSA uses the leftmost bits of a longer hash; a shorter one, left-padded with zeros, is the same integer.
    byte[] input = new byte[size];
    int n = Math.min(size, digest.length);
    System.arraycopy(digest, 0, input, size - n, n);
    return input;
  }
}
