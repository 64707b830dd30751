package io.tokenroll.protocol.certsrv;

import static io.tokenroll.protocol.certsrv.PropType.*;

/** Properties of a cached CMC full response ({@code FR_PROP_*}), read by GetFullResponseProperty. */
public enum FullResponseProperty {
  NONE(0, 0, false),
  FULLRESPONSE(1, PROPTYPE_BINARY, false),
  STATUSINFOCOUNT(2, PROPTYPE_LONG, false),
  BODYPARTSTRING(3, PROPTYPE_STRING, true),
  STATUS(4, PROPTYPE_LONG, true),
  STATUSSTRING(5, PROPTYPE_STRING, true),
  OTHERINFOCHOICE(6, PROPTYPE_LONG, true),
  FAILINFO(7, PROPTYPE_LONG, true),
  PENDINFOTOKEN(8, PROPTYPE_BINARY, true),
  PENDINFOTIME(9, PROPTYPE_DATE, true),
  ISSUEDCERTIFICATEHASH(10, PROPTYPE_BINARY, true),
  ISSUEDCERTIFICATE(11, PROPTYPE_BINARY, true),
  ISSUEDCERTIFICATECHAIN(12, PROPTYPE_BINARY, true),
  ISSUEDCERTIFICATECRLCHAIN(13, PROPTYPE_BINARY, true),
  ENCRYPTEDKEYHASH(14, PROPTYPE_BINARY, true),
  FULLRESPONSENOPKCS7(15, PROPTYPE_BINARY, false),
  CAEXCHANGECERTIFICATEHASH(16, PROPTYPE_BINARY, false),
  CAEXCHANGECERTIFICATE(17, PROPTYPE_BINARY, false),
  CAEXCHANGECERTIFICATECHAIN(18, PROPTYPE_BINARY, false),
  CAEXCHANGECERTIFICATECRLCHAIN(19, PROPTYPE_BINARY, false),
  ATTESTATIONCHALLENGE(20, PROPTYPE_BINARY, false),
  ATTESTATIONPROVIDERNAME(21, PROPTYPE_STRING, false),
  CLAIMCHALLENGE(22, PROPTYPE_LONG, false);

  private final int id;
  private final int type;
  private final boolean indexed;

  FullResponseProperty(int id, int type, boolean indexed) {
    this.id = id;
    this.type = type;
    this.indexed = indexed;
  }

  public int id() {
    return id;
  }

  public int type() {
    return type;
  }

  public boolean indexed() {
    return indexed;
  }

  public static FullResponseProperty fromId(int id) {
    for (FullResponseProperty p : values()) {
      if (p.id == id) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown FR_PROP id " + id);
  }
}
