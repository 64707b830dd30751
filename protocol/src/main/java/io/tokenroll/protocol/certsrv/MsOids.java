package io.tokenroll.protocol.certsrv;

/** Microsoft object identifiers that appear in AD CS and MIM CM requests and responses (wincrypt.h names). */
public final class MsOids {
  /** szOID_CMC_ADD_ATTRIBUTES: CMC control carrying attributes such as the issued certificate hash. */
  public static final String CMC_ADD_ATTRIBUTES = "1.3.6.1.4.1.311.10.10.1";
  /** szOID_ISSUED_CERT_HASH: SHA-1 thumbprint of the issued certificate. */
  public static final String ISSUED_CERT_HASH = "1.3.6.1.4.1.311.21.17";
  /** szOID_OS_VERSION request attribute. */
  public static final String OS_VERSION = "1.3.6.1.4.1.311.13.2.3";
  /** szOID_REQUEST_CLIENT_INFO request attribute. */
  public static final String REQUEST_CLIENT_INFO = "1.3.6.1.4.1.311.21.20";
  /** szOID_ENROLLMENT_CSP_PROVIDER request attribute. */
  public static final String ENROLLMENT_CSP_PROVIDER = "1.3.6.1.4.1.311.13.2.2";
  /** szOID_CERTIFICATE_TEMPLATE (v2 template extension). */
  public static final String CERTIFICATE_TEMPLATE = "1.3.6.1.4.1.311.21.7";
  /** szOID_ENROLL_CERTTYPE_EXTENSION (v1 template name extension). */
  public static final String ENROLL_CERTTYPE = "1.3.6.1.4.1.311.20.2";
  /** szOID_NT_PRINCIPAL_NAME: the UPN otherName in subjectAltName. */
  public static final String UPN = "1.3.6.1.4.1.311.20.2.3";
  /** szOID_KP_SMARTCARD_LOGON extended key usage. */
  public static final String SMARTCARD_LOGON = "1.3.6.1.4.1.311.20.2.2";
  /** szOID_APPLICATION_CERT_POLICIES: the application-policies extension AD CS writes beside the EKUs. */
  public static final String APPLICATION_CERT_POLICIES = "1.3.6.1.4.1.311.21.10";
  /** id-cct-PKIResponse: the eContentType of a CMC Full PKI Response. */
  public static final String PKI_RESPONSE = "1.3.6.1.5.5.7.12.3";
  /** id-cmc-statusInfo: the CMC control carrying CMCStatusInfo. */
  public static final String CMC_STATUS_INFO = "1.3.6.1.5.5.7.7.1";
  /** szOID_CERTSRV_CA_VERSION extension. */
  public static final String CA_VERSION = "1.3.6.1.4.1.311.21.1";

  private MsOids() {
  }
}
