package io.tokenroll.protocol.certsrv;

/** Property types and flags of GetCAProperty / GetCAPropertyFlags (certsrv.h). */
public final class PropType {
  public static final int PROPTYPE_LONG = 1;
  public static final int PROPTYPE_DATE = 2;
  public static final int PROPTYPE_BINARY = 3;
  public static final int PROPTYPE_STRING = 4;
  public static final int PROPTYPE_MASK = 0xFF;
  public static final int PROPFLAGS_INDEXED = 0x10000;

  public static final int PROPCALLER_SERVER = 0x100;
  public static final int PROPCALLER_POLICY = 0x200;
  public static final int PROPCALLER_EXIT = 0x300;
  public static final int PROPCALLER_ADMIN = 0x400;
  public static final int PROPCALLER_REQUEST = 0x500;

  /** CR_PROP_CATYPE values (certsrv.h ENUM_CATYPES). */
  public static final int ENUM_ENTERPRISE_ROOTCA = 0;
  public static final int ENUM_ENTERPRISE_SUBCA = 1;
  public static final int ENUM_STANDALONE_ROOTCA = 3;
  public static final int ENUM_STANDALONE_SUBCA = 4;
  public static final int ENUM_UNKNOWN_CA = 5;

  /** CR_PROP_CACERTSTATE / CRLSTATE values. */
  public static final int CA_DISP_INCOMPLETE = 0;
  public static final int CA_DISP_ERROR = 1;
  public static final int CA_DISP_REVOKED = 2;
  public static final int CA_DISP_VALID = 3;
  public static final int CA_DISP_INVALID = 4;
  public static final int CA_DISP_UNDER_SUBMISSION = 5;

  private PropType() {
  }
}
