package io.tokenroll.protocol.certsrv;

/**
 * ICertRequest::Submit flags (certcli.h {@code CR_IN_*}): encoding | format | options. Values are Windows'.
 */
public final class RequestFlags {
  public static final int CR_IN_BASE64HEADER = 0x0;
  public static final int CR_IN_BASE64 = 0x1;
  public static final int CR_IN_BINARY = 0x2;
  public static final int CR_IN_ENCODEANY = 0xFF;
  public static final int CR_IN_ENCODEMASK = 0xFF;

  public static final int CR_IN_FORMATANY = 0x0;
  public static final int CR_IN_PKCS10 = 0x100;
  public static final int CR_IN_KEYGEN = 0x200;
  public static final int CR_IN_PKCS7 = 0x300;
  public static final int CR_IN_CMC = 0x400;
  public static final int CR_IN_CHALLENGERESPONSE = 0x500;
  public static final int CR_IN_SIGNEDCERTIFICATETIMESTAMPLIST = 0x600;
  public static final int CR_IN_FORMATMASK = 0xFF00;

  public static final int CR_IN_SCEP = 0x10000;
  public static final int CR_IN_RPC = 0x20000;
  public static final int CR_IN_HTTP = 0x30000;
  public static final int CR_IN_FULLRESPONSE = 0x40000;
  public static final int CR_IN_CRLS = 0x80000;
  public static final int CR_IN_MACHINE = 0x100000;
  public static final int CR_IN_ROBO = 0x200000;
  public static final int CR_IN_CLIENTIDNONE = 0x400000;
  public static final int CR_IN_CONNECTONLY = 0x800000;
  public static final int CR_IN_RETURNCHALLENGE = 0x1000000;
  public static final int CR_IN_SCEPPOST = 0x2000000;
  public static final int CR_IN_CERTIFICATETRANSPARENCY = 0x4000000;
  public static final int CR_IN_PRESIGN = 0x8000000;
  public static final int CR_IN_CLIENTFLAGSMASK = CR_IN_ENCODEMASK | CR_IN_RPC | CR_IN_MACHINE | CR_IN_CLIENTIDNONE
      | CR_IN_CONNECTONLY | CR_IN_RETURNCHALLENGE;

  private RequestFlags() {
  }
}
