package io.tokenroll.protocol.certsrv;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HRESULTs of certificate services (winerror.h, facility 9 {@code CERTSRV_E_*}) and the common Win32 ones, with
 * the English message texts Windows shows. {@link #errorMessageText} is ICertRequest2::GetErrorMessageText.
 */
public final class HResult {
  public static final int S_OK = 0;
  public static final int E_NOTIMPL = 0x80004001;
  public static final int E_FAIL = 0x80004005;
  public static final int E_ACCESSDENIED = 0x80070005;
  public static final int ERROR_INVALID_DATA = 0x8007000D;
  public static final int E_INVALIDARG = 0x80070057;
  public static final int NTE_BAD_SIGNATURE = 0x80090006;

  /** HTTP failures as Windows reports them (facility 25, HTTP_E_STATUS_*: 0x80190000 | status). */
  public static final int HTTP_E_STATUS_UNEXPECTED = 0x80190001;
  public static final int HTTP_E_STATUS_DENIED = 0x80190191;
  public static final int HTTP_E_STATUS_FORBIDDEN = 0x80190193;
  public static final int HTTP_E_STATUS_NOT_FOUND = 0x80190194;
  public static final int HTTP_E_STATUS_SERVER_ERROR = 0x801901F4;
  public static final int HTTP_E_STATUS_SERVICE_UNAVAIL = 0x801901F7;
  /** Network failures: HRESULT_FROM_WIN32 of the WinHTTP errors. */
  public static final int ERROR_WINHTTP_TIMEOUT = 0x80072EE2;
  public static final int ERROR_WINHTTP_CANNOT_CONNECT = 0x80072EFD;
  public static final int ERROR_WINHTTP_CONNECTION_ERROR = 0x80072EFE;
  public static final int ERROR_WINHTTP_SECURE_FAILURE = 0x80072F8F;

  public static final int CERTSRV_E_BAD_REQUESTSUBJECT = 0x80094001;
  public static final int CERTSRV_E_NO_REQUEST = 0x80094002;
  public static final int CERTSRV_E_BAD_REQUESTSTATUS = 0x80094003;
  public static final int CERTSRV_E_PROPERTY_EMPTY = 0x80094004;
  public static final int CERTSRV_E_INVALID_CA_CERTIFICATE = 0x80094005;
  public static final int CERTSRV_E_SERVER_SUSPENDED = 0x80094006;
  public static final int CERTSRV_E_ENCODING_LENGTH = 0x80094007;
  public static final int CERTSRV_E_ROLECONFLICT = 0x80094008;
  public static final int CERTSRV_E_RESTRICTEDOFFICER = 0x80094009;
  public static final int CERTSRV_E_KEY_ARCHIVAL_NOT_CONFIGURED = 0x8009400A;
  public static final int CERTSRV_E_NO_VALID_KRA = 0x8009400B;
  public static final int CERTSRV_E_BAD_REQUEST_KEY_ARCHIVAL = 0x8009400C;
  public static final int CERTSRV_E_NO_CAADMIN_DEFINED = 0x8009400D;
  public static final int CERTSRV_E_BAD_RENEWAL_CERT_ATTRIBUTE = 0x8009400E;
  public static final int CERTSRV_E_NO_DB_SESSIONS = 0x8009400F;
  public static final int CERTSRV_E_ALIGNMENT_FAULT = 0x80094010;
  public static final int CERTSRV_E_ENROLL_DENIED = 0x80094011;
  public static final int CERTSRV_E_TEMPLATE_DENIED = 0x80094012;
  public static final int CERTSRV_E_DOWNLEVEL_DC_SSL_OR_UPGRADE = 0x80094013;
  public static final int CERTSRV_E_ADMIN_DENIED_REQUEST = 0x80094014;
  public static final int CERTSRV_E_NO_POLICY_SERVER = 0x80094015;
  public static final int CERTSRV_E_WEAK_SIGNATURE_OR_KEY = 0x80094016;
  public static final int CERTSRV_E_KEY_ATTESTATION_NOT_SUPPORTED = 0x80094017;
  public static final int CERTSRV_E_ENCRYPTION_CERT_REQUIRED = 0x80094018;
  public static final int CERTSRV_E_UNSUPPORTED_CERT_TYPE = 0x80094800;
  public static final int CERTSRV_E_NO_CERT_TYPE = 0x80094801;
  public static final int CERTSRV_E_TEMPLATE_CONFLICT = 0x80094802;
  public static final int CERTSRV_E_SUBJECT_ALT_NAME_REQUIRED = 0x80094803;
  public static final int CERTSRV_E_ARCHIVED_KEY_REQUIRED = 0x80094804;
  public static final int CERTSRV_E_SMIME_REQUIRED = 0x80094805;
  public static final int CERTSRV_E_BAD_RENEWAL_SUBJECT = 0x80094806;
  public static final int CERTSRV_E_BAD_TEMPLATE_VERSION = 0x80094807;
  public static final int CERTSRV_E_TEMPLATE_POLICY_REQUIRED = 0x80094808;
  public static final int CERTSRV_E_SIGNATURE_POLICY_REQUIRED = 0x80094809;
  public static final int CERTSRV_E_SIGNATURE_COUNT = 0x8009480A;
  public static final int CERTSRV_E_SIGNATURE_REJECTED = 0x8009480B;
  public static final int CERTSRV_E_ISSUANCE_POLICY_REQUIRED = 0x8009480C;
  public static final int CERTSRV_E_SUBJECT_UPN_REQUIRED = 0x8009480D;
  public static final int CERTSRV_E_SUBJECT_DIRECTORY_GUID_REQUIRED = 0x8009480E;
  public static final int CERTSRV_E_SUBJECT_DNS_REQUIRED = 0x8009480F;
  public static final int CERTSRV_E_ARCHIVED_KEY_UNEXPECTED = 0x80094810;
  public static final int CERTSRV_E_KEY_LENGTH = 0x80094811;
  public static final int CERTSRV_E_SUBJECT_EMAIL_REQUIRED = 0x80094812;
  public static final int CERTSRV_E_UNKNOWN_CERT_TYPE = 0x80094813;
  public static final int CERTSRV_E_CERT_TYPE_OVERLAP = 0x80094814;

  private record Entry(String name, String text) {
  }

  private static final Map<Integer, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    put(S_OK, "S_OK", "The operation completed successfully.");
    put(E_NOTIMPL, "E_NOTIMPL", "Not implemented");
    put(E_FAIL, "E_FAIL", "Unspecified error");
    put(E_ACCESSDENIED, "E_ACCESSDENIED", "Access is denied.");
    put(ERROR_INVALID_DATA, "ERROR_INVALID_DATA", "The data is invalid.");
    put(E_INVALIDARG, "E_INVALIDARG", "The parameter is incorrect.");
    put(NTE_BAD_SIGNATURE, "NTE_BAD_SIGNATURE", "Invalid Signature.");
    put(HTTP_E_STATUS_UNEXPECTED, "HTTP_E_STATUS_UNEXPECTED", "Unexpected HTTP status code.");
    put(HTTP_E_STATUS_DENIED, "HTTP_E_STATUS_DENIED", "Access denied (401).");
    put(HTTP_E_STATUS_FORBIDDEN, "HTTP_E_STATUS_FORBIDDEN", "Forbidden (403).");
    put(HTTP_E_STATUS_NOT_FOUND, "HTTP_E_STATUS_NOT_FOUND", "Not found (404).");
    put(HTTP_E_STATUS_SERVER_ERROR, "HTTP_E_STATUS_SERVER_ERROR", "Internal server error (500).");
    put(HTTP_E_STATUS_SERVICE_UNAVAIL, "HTTP_E_STATUS_SERVICE_UNAVAIL", "Service unavailable (503).");
    put(ERROR_WINHTTP_TIMEOUT, "ERROR_WINHTTP_TIMEOUT", "The operation timed out");
    put(ERROR_WINHTTP_CANNOT_CONNECT, "ERROR_WINHTTP_CANNOT_CONNECT",
        "A connection with the server could not be established");
    put(ERROR_WINHTTP_CONNECTION_ERROR, "ERROR_WINHTTP_CONNECTION_ERROR",
        "The connection with the server was terminated abnormally");
    put(ERROR_WINHTTP_SECURE_FAILURE, "ERROR_WINHTTP_SECURE_FAILURE", "A security error occurred");
    put(CERTSRV_E_BAD_REQUESTSUBJECT, "CERTSRV_E_BAD_REQUESTSUBJECT",
        "The request subject name is invalid or too long.");
    put(CERTSRV_E_NO_REQUEST, "CERTSRV_E_NO_REQUEST", "The request does not exist.");
    put(CERTSRV_E_BAD_REQUESTSTATUS, "CERTSRV_E_BAD_REQUESTSTATUS",
        "The request's current status does not allow this operation.");
    put(CERTSRV_E_PROPERTY_EMPTY, "CERTSRV_E_PROPERTY_EMPTY", "The requested property value is empty.");
    put(CERTSRV_E_INVALID_CA_CERTIFICATE, "CERTSRV_E_INVALID_CA_CERTIFICATE",
        "The certification authority's certificate contains invalid data.");
    put(CERTSRV_E_SERVER_SUSPENDED, "CERTSRV_E_SERVER_SUSPENDED",
        "Certificate service has been suspended for a database restore operation.");
    put(CERTSRV_E_ENCODING_LENGTH, "CERTSRV_E_ENCODING_LENGTH", "The certificate contains an encoded length that "
        + "is potentially incompatible with older enrollment software.");
    put(CERTSRV_E_ROLECONFLICT, "CERTSRV_E_ROLECONFLICT", "The operation is denied. The user has multiple roles "
        + "assigned and the certification authority is configured to enforce role separation.");
    put(CERTSRV_E_RESTRICTEDOFFICER, "CERTSRV_E_RESTRICTEDOFFICER", "The operation is denied. It can only be "
        + "performed by a certificate manager that is allowed to manage certificates for the current requester.");
    put(CERTSRV_E_KEY_ARCHIVAL_NOT_CONFIGURED, "CERTSRV_E_KEY_ARCHIVAL_NOT_CONFIGURED",
        "Cannot archive private key. The certification authority is not configured for key archival.");
    put(CERTSRV_E_NO_VALID_KRA, "CERTSRV_E_NO_VALID_KRA", "Cannot archive private key. The certification "
        + "authority could not verify one or more key recovery certificates.");
    put(CERTSRV_E_BAD_REQUEST_KEY_ARCHIVAL, "CERTSRV_E_BAD_REQUEST_KEY_ARCHIVAL", "The request is incorrectly "
        + "formatted. The encrypted private key must be in an unauthenticated attribute in an outermost signature.");
    put(CERTSRV_E_NO_CAADMIN_DEFINED, "CERTSRV_E_NO_CAADMIN_DEFINED",
        "At least one security principal must have the permission to manage this CA.");
    put(CERTSRV_E_BAD_RENEWAL_CERT_ATTRIBUTE, "CERTSRV_E_BAD_RENEWAL_CERT_ATTRIBUTE",
        "The request contains an invalid renewal certificate attribute.");
    put(CERTSRV_E_NO_DB_SESSIONS, "CERTSRV_E_NO_DB_SESSIONS", "An attempt was made to open a Certification "
        + "Authority database session, but there are already too many active sessions.");
    put(CERTSRV_E_ALIGNMENT_FAULT, "CERTSRV_E_ALIGNMENT_FAULT", "A memory reference caused a data alignment fault.");
    put(CERTSRV_E_ENROLL_DENIED, "CERTSRV_E_ENROLL_DENIED", "The permissions on this certification authority do "
        + "not allow the current user to enroll for certificates.");
    put(CERTSRV_E_TEMPLATE_DENIED, "CERTSRV_E_TEMPLATE_DENIED", "The permissions on the certificate template do "
        + "not allow the current user to enroll for this type of certificate.");
    put(CERTSRV_E_DOWNLEVEL_DC_SSL_OR_UPGRADE, "CERTSRV_E_DOWNLEVEL_DC_SSL_OR_UPGRADE", "The contacted domain "
        + "controller cannot support signed LDAP traffic. Update the domain controller or configure Certificate "
        + "Services to use SSL for Active Directory access.");
    put(CERTSRV_E_ADMIN_DENIED_REQUEST, "CERTSRV_E_ADMIN_DENIED_REQUEST",
        "The request was denied by a certificate manager or CA administrator.");
    put(CERTSRV_E_NO_POLICY_SERVER, "CERTSRV_E_NO_POLICY_SERVER", "An enrollment policy server cannot be located.");
    put(CERTSRV_E_WEAK_SIGNATURE_OR_KEY, "CERTSRV_E_WEAK_SIGNATURE_OR_KEY", "A signature algorithm or public key "
        + "length does not meet the system's minimum required strength.");
    put(CERTSRV_E_KEY_ATTESTATION_NOT_SUPPORTED, "CERTSRV_E_KEY_ATTESTATION_NOT_SUPPORTED", "Failed to create an "
        + "attested key. This computer or the cryptographic provider may not meet the hardware requirements to "
        + "support key attestation.");
    put(CERTSRV_E_ENCRYPTION_CERT_REQUIRED, "CERTSRV_E_ENCRYPTION_CERT_REQUIRED",
        "No encryption certificate was specified.");
    put(CERTSRV_E_UNSUPPORTED_CERT_TYPE, "CERTSRV_E_UNSUPPORTED_CERT_TYPE",
        "The requested certificate template is not supported by this CA.");
    put(CERTSRV_E_NO_CERT_TYPE, "CERTSRV_E_NO_CERT_TYPE", "The request contains no certificate template information.");
    put(CERTSRV_E_TEMPLATE_CONFLICT, "CERTSRV_E_TEMPLATE_CONFLICT",
        "The request contains conflicting template information.");
    put(CERTSRV_E_SUBJECT_ALT_NAME_REQUIRED, "CERTSRV_E_SUBJECT_ALT_NAME_REQUIRED",
        "The request is missing a required Subject Alternate name extension.");
    put(CERTSRV_E_ARCHIVED_KEY_REQUIRED, "CERTSRV_E_ARCHIVED_KEY_REQUIRED",
        "The request is missing a required private key for archival by the server.");
    put(CERTSRV_E_SMIME_REQUIRED, "CERTSRV_E_SMIME_REQUIRED",
        "The request is missing a required SMIME capabilities extension.");
    put(CERTSRV_E_BAD_RENEWAL_SUBJECT, "CERTSRV_E_BAD_RENEWAL_SUBJECT", "The request was made on behalf of a "
        + "subject other than the caller. The certificate template must be configured to require at least one "
        + "signature to authorize the request.");
    put(CERTSRV_E_BAD_TEMPLATE_VERSION, "CERTSRV_E_BAD_TEMPLATE_VERSION",
        "The request template version is newer than the supported template version.");
    put(CERTSRV_E_TEMPLATE_POLICY_REQUIRED, "CERTSRV_E_TEMPLATE_POLICY_REQUIRED",
        "The template is missing a required signature policy attribute.");
    put(CERTSRV_E_SIGNATURE_POLICY_REQUIRED, "CERTSRV_E_SIGNATURE_POLICY_REQUIRED",
        "The request is missing required signature policy information.");
    put(CERTSRV_E_SIGNATURE_COUNT, "CERTSRV_E_SIGNATURE_COUNT",
        "The request is missing one or more required signatures.");
    put(CERTSRV_E_SIGNATURE_REJECTED, "CERTSRV_E_SIGNATURE_REJECTED", "One or more signatures did not include the "
        + "required application or issuance policies. The request is missing one or more required valid signatures.");
    put(CERTSRV_E_ISSUANCE_POLICY_REQUIRED, "CERTSRV_E_ISSUANCE_POLICY_REQUIRED",
        "The request is missing one or more required signature issuance policies.");
    put(CERTSRV_E_SUBJECT_UPN_REQUIRED, "CERTSRV_E_SUBJECT_UPN_REQUIRED",
        "The UPN is unavailable and cannot be added to the Subject Alternate name.");
    put(CERTSRV_E_SUBJECT_DIRECTORY_GUID_REQUIRED, "CERTSRV_E_SUBJECT_DIRECTORY_GUID_REQUIRED",
        "The Active Directory GUID is unavailable and cannot be added to the Subject Alternate name.");
    put(CERTSRV_E_SUBJECT_DNS_REQUIRED, "CERTSRV_E_SUBJECT_DNS_REQUIRED",
        "The DNS name is unavailable and cannot be added to the Subject Alternate name.");
    put(CERTSRV_E_ARCHIVED_KEY_UNEXPECTED, "CERTSRV_E_ARCHIVED_KEY_UNEXPECTED", "The request includes a private "
        + "key for archival by the server, but key archival is not enabled for the specified certificate template.");
    put(CERTSRV_E_KEY_LENGTH, "CERTSRV_E_KEY_LENGTH",
        "The public key does not meet the minimum size required by the specified certificate template.");
    put(CERTSRV_E_SUBJECT_EMAIL_REQUIRED, "CERTSRV_E_SUBJECT_EMAIL_REQUIRED",
        "The EMail name is unavailable and cannot be added to the Subject or Subject Alternate name.");
    put(CERTSRV_E_UNKNOWN_CERT_TYPE, "CERTSRV_E_UNKNOWN_CERT_TYPE", "One or more certificate templates to be "
        + "enabled on this certification authority could not be found.");
    put(CERTSRV_E_CERT_TYPE_OVERLAP, "CERTSRV_E_CERT_TYPE_OVERLAP", "The certificate template renewal period is "
        + "longer than the certificate validity period. The template should be reconfigured or the CA certificate "
        + "renewed.");
  }

  private static void put(int hr, String name, String text) {
    ENTRIES.put(hr, new Entry(name, text));
  }

  private HResult() {
  }

  /** The symbolic name, e.g. {@code CERTSRV_E_TEMPLATE_DENIED}, or null when unknown. */
  public static String name(int hresult) {
    Entry e = ENTRIES.get(hresult);
    return e == null ? null : e.name;
  }

  /** The message text, or null when unknown. */
  public static String text(int hresult) {
    Entry e = ENTRIES.get(hresult);
    return e == null ? null : e.text;
  }

  /** {@code 0x80094012 (-2146877422)}: how Windows tools print an HRESULT. */
  public static String hexAndDecimal(int hresult) {
    return String.format("0x%08x (%d)", hresult, hresult);
  }

  /**
   * ICertRequest2::GetErrorMessageText: the text for an HRESULT; with {@link OutputFlags#CR_GEMT_HRESULT_STRING}
   * the hex and decimal value are appended, as Windows does. Unknown codes get a generic text.
   */
  public static String errorMessageText(int hresult, int flags) {
    String text = text(hresult);
    if (text == null) {
      text = "Unknown error " + String.format("0x%08x", hresult) + ".";
    }
    if ((flags & OutputFlags.CR_GEMT_HRESULT_STRING) != 0) {
      return text + " " + hexAndDecimal(hresult);
    }
    return text;
  }

  /** Parses {@code 0x80094012}, {@code -2146877422} or a name such as {@code CERTSRV_E_TEMPLATE_DENIED}. */
  public static int parse(String text) {
    String t = text.trim();
    if (t.regionMatches(true, 0, "0x", 0, 2)) {
      return (int) Long.parseLong(t.substring(2), 16);
    }
    if (t.matches("-?\\d+")) {
      return (int) Long.parseLong(t);
    }
    for (Map.Entry<Integer, Entry> e : ENTRIES.entrySet()) {
      if (e.getValue().name.equalsIgnoreCase(t)) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("unknown HRESULT '" + text + "'");
  }
}
