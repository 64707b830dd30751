package io.tokenroll.protocol.mimcm;

/**
 * {@code Flags} of a certificatedata response item. MIM's example shows 65536 on a PKCS#7 item; the PFX value is
 * tokenroll's choice (the next bit). Clients should decide by {@code isPkcs7}/{@code isPfx}, not by these.
 */
public final class CertificateFlags {
  public static final int PKCS7 = 0x10000;
  public static final int PFX = 0x20000;

  private CertificateFlags() {
  }
}
