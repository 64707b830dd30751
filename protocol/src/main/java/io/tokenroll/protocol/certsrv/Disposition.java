package io.tokenroll.protocol.certsrv;

/** Request dispositions ({@code CR_DISP_*}), as Submit, RetrievePending and GetIssuedCertificate return them. */
public enum Disposition {
  INCOMPLETE(0), ERROR(1), DENIED(2), ISSUED(3), ISSUED_OUT_OF_BAND(4), UNDER_SUBMISSION(5), REVOKED(6);

  public static final int CR_DISP_INCOMPLETE = 0;
  public static final int CR_DISP_ERROR = 1;
  public static final int CR_DISP_DENIED = 2;
  public static final int CR_DISP_ISSUED = 3;
  public static final int CR_DISP_ISSUED_OUT_OF_BAND = 4;
  public static final int CR_DISP_UNDER_SUBMISSION = 5;
  public static final int CR_DISP_REVOKED = 6;

  private final int code;

  Disposition(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Disposition fromCode(int code) {
    for (Disposition d : values()) {
      if (d.code == code) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown CR_DISP value " + code);
  }
}
