package io.tokenroll.protocol.mimcm;

/** WinRT EnrollKeyUsages flags, the {@code KeyUsages} of certificate request generation options. */
public final class EnrollKeyUsages {
  public static final int NONE = 0;
  public static final int DECRYPTION = 1;
  public static final int SIGNING = 2;
  public static final int KEY_AGREEMENT = 4;
  public static final int ALL = 16777215;

  private EnrollKeyUsages() {
  }
}
