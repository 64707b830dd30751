package io.tokenroll.protocol.mimcm;

/** {@code Flags} of a Request: MIM's example shows 2 with IsSmartcard true, so Smartcard=2, EnrollmentAgent=1. */
public final class RequestFlagBits {
  public static final int NONE = 0;
  public static final int ENROLLMENT_AGENT = 1;
  public static final int SMARTCARD = 2;

  private RequestFlagBits() {
  }
}
