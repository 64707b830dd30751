package io.tokenroll.protocol.certsrv;

/**
 * Output encodings and options of GetCertificate, GetCACertificate, GetCAProperty and GetFullResponseProperty
 * (certcli.h {@code CR_OUT_*}; the {@code CV_OUT_*} names of GetCAProperty have the same values).
 */
public final class OutputFlags {
  public static final int CR_OUT_BASE64HEADER = 0x0;
  public static final int CR_OUT_BASE64 = 0x1;
  public static final int CR_OUT_BINARY = 0x2;
  public static final int CR_OUT_BASE64REQUESTHEADER = 0x3;
  public static final int CR_OUT_HEX = 0x4;
  public static final int CR_OUT_HEXASCII = 0x5;
  public static final int CR_OUT_BASE64X509CRLHEADER = 0x9;
  public static final int CR_OUT_HEXADDR = 0xA;
  public static final int CR_OUT_HEXASCIIADDR = 0xB;
  public static final int CR_OUT_HEXRAW = 0xC;
  public static final int CR_OUT_ENCODEMASK = 0xFF;
  public static final int CR_OUT_CHAIN = 0x100;
  public static final int CR_OUT_CRLS = 0x200;
  public static final int CR_OUT_NOCRLF = 0x40000000;
  public static final int CR_OUT_NOCR = 0x80000000;

  /** GetErrorMessageText flags. */
  public static final int CR_GEMT_HRESULT_STRING = 0x1;
  public static final int CR_GEMT_HTTP_ERROR = 0x2;

  private OutputFlags() {
  }
}
