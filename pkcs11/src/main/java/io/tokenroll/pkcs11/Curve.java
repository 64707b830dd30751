package io.tokenroll.pkcs11;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;

/** Named curves tokenroll generates keys on. */
public enum Curve {
  P256("P-256", SECObjectIdentifiers.secp256r1, 256),
  P384("P-384", SECObjectIdentifiers.secp384r1, 384),
  P521("P-521", SECObjectIdentifiers.secp521r1, 521);

  private final String displayName;
  private final ASN1ObjectIdentifier oid;
  private final int bits;

  Curve(String displayName, ASN1ObjectIdentifier oid, int bits) {
    this.displayName = displayName;
    this.oid = oid;
    this.bits = bits;
  }

  public String displayName() {
    return displayName;
  }

  public ASN1ObjectIdentifier oid() {
    return oid;
  }

  public int bits() {
    return bits;
  }

  public static Curve fromOid(ASN1ObjectIdentifier oid) {
    for (Curve c : values()) {
      if (c.oid.equals(oid)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unsupported curve " + oid);
  }
}
