package io.tokenroll.pkcs11.internal;

import io.tokenroll.pkcs11.Curve;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Builds JCA public keys from token attributes, and key specs from JCA keys. */
final class PublicKeys {
  private PublicKeys() {
  }

  static PublicKey rsa(BigInteger modulus, BigInteger exponent) throws GeneralSecurityException {
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
  }

  /**
   * An EC public key from CKA_EC_PARAMS and CKA_EC_POINT. The point may arrive raw ({@code 04||X||Y}, as the
   * wrapper normalises it) or as the DER OCTET STRING the standard prescribes; both are accepted.
   */
  static PublicKey ec(byte[] ecParams, byte[] ecPoint) throws GeneralSecurityException {
    try {
      ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(ASN1Primitive.fromByteArray(ecParams));
      int rawLength = 2 * ((Curve.fromOid(curve).bits() + 7) / 8) + 1;
      byte[] point = ecPoint.length == rawLength && ecPoint[0] == 0x04
          ? ecPoint
          : ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(ecPoint)).getOctets();
      SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
          new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), point);
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (IOException | IllegalArgumentException e) {
      throw new GeneralSecurityException("token returned an unreadable EC public key", e);
    }
  }
}
