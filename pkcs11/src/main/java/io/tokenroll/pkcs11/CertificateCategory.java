package io.tokenroll.pkcs11;

/** CKA_CERTIFICATE_CATEGORY: whether a certificate is the user's own or an authority (CA) certificate. */
public enum CertificateCategory {
  UNSPECIFIED(0), USER(1), AUTHORITY(2), OTHER_ENTITY(3);

  private final long code;

  CertificateCategory(long code) {
    this.code = code;
  }

  public long code() {
    return code;
  }

  public static CertificateCategory fromCode(Long code) {
    if (code != null) {
      for (CertificateCategory c : values()) {
        if (c.code == code) {
          return c;
        }
      }
    }
    return UNSPECIFIED;
  }
}
