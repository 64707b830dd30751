package io.tokenroll.pkcs11.internal;

import io.tokenroll.pkcs11.Curve;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.AlgorithmParameters;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;

/** Builds JCA public keys from token attributes, and key specs from JCA keys. */
final class PublicKeys {
  private PublicKeys() {
  }

  static PublicKey rsa(BigInteger modulus, BigInteger exponent) throws GeneralSecurityException {
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
  }

  /**
   * An EC public key from CKA_EC_PARAMS and CKA_EC_POINT. The point may arrive raw ({@code 04||X||Y}, as the
   * wrapper normalises it) or as the DER OCTET STRING the standard prescribes; both are accepted. The key is made
   * from the point's coordinates and the curve's cached parameters, not from a DER SubjectPublicKeyInfo: building
   * and parsing that cost about 85 µs a key against 14 µs, in code that runs a few times per enrollment and so
   * never gets hot.
   */
  /** A named curve's OID is about ten bytes; explicit parameters a few hundred. */
  static final int MAX_EC_PARAMS = 1024;
  /** An uncompressed P-521 point in its OCTET STRING is 136 bytes. */
  static final int MAX_EC_POINT = 512;

  /**
   * An attribute a card returned, refused when it is longer than any genuine one: BouncyCastle decodes nested
   * values recursively, and a short bound keeps a hostile card's nesting far from what would exhaust the stack.
   */
  static byte[] boundedFromToken(byte[] value, int max) {
    if (value == null || value.length > max) {
      throw new IllegalArgumentException("the token returned " + (value == null ? "nothing" : value.length
          + " bytes") + " where at most " + max + " belong");
    }
    return value;
  }

  static PublicKey ec(byte[] ecParams, byte[] ecPoint) throws GeneralSecurityException {
    try {
      Curve curve = Curve.fromOid(ASN1ObjectIdentifier.getInstance(ASN1Primitive.fromByteArray(
          boundedFromToken(ecParams, MAX_EC_PARAMS))));
      return ec(curve, ecPoint);
    } catch (IOException | IllegalArgumentException e) {
      throw new GeneralSecurityException("token returned an unreadable EC public key", e);
    }
  }

  /** An EC public key on a known curve from its CKA_EC_POINT (raw or wrapped in a DER OCTET STRING). */
  static PublicKey ec(Curve curve, byte[] ecPoint) throws GeneralSecurityException {
    try {
      int size = (curve.bits() + 7) / 8;
      byte[] point = ecPoint.length == 2 * size + 1 && ecPoint[0] == 0x04
          ? ecPoint
          : ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(boundedFromToken(ecPoint, MAX_EC_POINT)))
              .getOctets();
      if (point.length != 2 * size + 1 || point[0] != 0x04) {
        throw new GeneralSecurityException("token returned an EC point that is not an uncompressed " + curve
            + " point");
      }
      ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + size)),
          new BigInteger(1, Arrays.copyOfRange(point, 1 + size, point.length)));
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, parameters(curve)));
    } catch (IOException | IllegalArgumentException e) {
      throw new GeneralSecurityException("token returned an unreadable EC public key", e);
    }
  }

  private static final Map<Curve, ECParameterSpec> PARAMETERS = new ConcurrentHashMap<>();

  private static ECParameterSpec parameters(Curve curve) throws GeneralSecurityException {
    ECParameterSpec known = PARAMETERS.get(curve);
    if (known == null) {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec(curve.oid().getId()));
      known = p.getParameterSpec(ECParameterSpec.class);
      PARAMETERS.put(curve, known);
    }
    return known;
  }
}
