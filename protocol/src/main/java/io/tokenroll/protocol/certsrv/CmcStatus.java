package io.tokenroll.protocol.certsrv;

/** CMC status values (RFC 5272 CMCStatus; wincrypt.h {@code CMC_STATUS_*}) and related codes. */
public final class CmcStatus {
  public static final int SUCCESS = 0;
  public static final int FAILED = 2;
  public static final int PENDING = 3;
  public static final int NO_SUPPORT = 4;
  public static final int CONFIRM_REQUIRED = 5;
  public static final int POP_REQUIRED = 6;
  public static final int PARTIAL = 7;

  /** CMC_OTHER_INFO_* choices of CMCStatusInfo.otherInfo. */
  public static final int OTHER_INFO_NO_CHOICE = 0;
  public static final int OTHER_INFO_FAIL_CHOICE = 1;
  public static final int OTHER_INFO_PEND_CHOICE = 2;

  /** CMCFailInfo (CMC_FAIL_*). */
  public static final int FAIL_BAD_ALG = 0;
  public static final int FAIL_BAD_MESSAGE_CHECK = 1;
  public static final int FAIL_BAD_REQUEST = 2;
  public static final int FAIL_BAD_TIME = 3;
  public static final int FAIL_BAD_CERT_ID = 4;
  public static final int FAIL_UNSUPORTED_EXT = 5;
  public static final int FAIL_MUST_ARCHIVE_KEYS = 6;

  private CmcStatus() {
  }

  public static String name(int status) {
    return switch (status) {
      case SUCCESS -> "success";
      case FAILED -> "failed";
      case PENDING -> "pending";
      case NO_SUPPORT -> "noSupport";
      case CONFIRM_REQUIRED -> "confirmRequired";
      case POP_REQUIRED -> "popRequired";
      case PARTIAL -> "partial";
      default -> "unknown(" + status + ")";
    };
  }
}
