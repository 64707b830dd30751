package io.tokenroll.protocol.mimcm;

/** The MIM CM REST API's base path; routes are case-insensitive on IIS. */
public final class CmPaths {
  public static final String API = "/CertificateManagement/api/v1.0/";
  /** The all-zero GUID MIM uses for "no card / no profile". */
  public static final String EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

  private CmPaths() {
  }
}
