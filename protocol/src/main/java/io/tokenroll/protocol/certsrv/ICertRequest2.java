package io.tokenroll.protocol.certsrv;

/**
 * The Windows ICertRequest2 interface (certcli.h), method for method, with Windows' semantics: the object is
 * stateful — Submit, RetrievePending and GetIssuedCertificate cache the last disposition, request id, status,
 * message, certificate and full response, which the Get* methods read. Numbers are Windows' constants
 * ({@link RequestFlags}, {@link Disposition}, {@link OutputFlags}, {@link CaProperty}, {@link HResult}).
 *
 * <p>cmserver's CA core implements it over its database; the agent implements it over AD CS web enrollment
 * ({@code /certsrv}). Binary results follow the BSTR convention: with {@code CR_OUT_BINARY} the returned string
 * holds one byte per char (ISO-8859-1); other encodings return text.
 */
public interface ICertRequest2 {
  /** Submits a request; returns a CR_DISP value. {@code attributes} is "Name:Value" lines. */
  int submit(int flags, String request, String attributes, String config) throws CertSrvException;

  /** Re-queries a request by its CA request id; returns a CR_DISP value. */
  int retrievePending(int requestId, String config) throws CertSrvException;

  /** HRESULT of the last Submit / RetrievePending / GetIssuedCertificate (S_OK, or the reason it was not issued). */
  int getLastStatus() throws CertSrvException;

  int getRequestId() throws CertSrvException;

  String getDispositionMessage() throws CertSrvException;

  /** The issued certificate of the last request; with CR_OUT_CHAIN a PKCS#7 with the chain. */
  String getCertificate(int flags) throws CertSrvException;

  /** The CA signature certificate ({@code exchangeCertificate} 0) or exchange certificate (1). */
  String getCACertificate(int exchangeCertificate, String config, int flags) throws CertSrvException;

  /** Like RetrievePending, by request id or (id -1) by hex serial number; returns a CR_DISP value. */
  int getIssuedCertificate(String config, int requestId, String serialNumber) throws CertSrvException;

  String getErrorMessageText(int hresult, int flags) throws CertSrvException;

  /**
   * A CA property: {@link Integer} for PROPTYPE_LONG, {@link String} for PROPTYPE_STRING and PROPTYPE_BINARY
   * (encoded per {@code flags}), {@link java.time.Instant} for PROPTYPE_DATE.
   */
  Object getCAProperty(String config, int propId, int propIndex, int propType, int flags) throws CertSrvException;

  int getCAPropertyFlags(String config, int propId) throws CertSrvException;

  String getCAPropertyDisplayName(String config, int propId) throws CertSrvException;

  /** A property of the last CMC full response (FR_PROP_*), typed like {@link #getCAProperty}. */
  Object getFullResponseProperty(int propId, int propIndex, int propType, int flags) throws CertSrvException;
}
