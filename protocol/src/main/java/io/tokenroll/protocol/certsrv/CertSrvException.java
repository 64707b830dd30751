package io.tokenroll.protocol.certsrv;

/**
 * A failed ICertRequest2 call: the COM error a Windows caller would see, carrying its HRESULT. Outcomes that are
 * dispositions (denied, pending) are not exceptions: they are returned, with the HRESULT in GetLastStatus.
 */
public class CertSrvException extends Exception {
  private final int hresult;

  public CertSrvException(int hresult, String message) {
    this(hresult, message, null);
  }

  public CertSrvException(int hresult, String message, Throwable cause) {
    super(message + " " + HResult.hexAndDecimal(hresult)
        + (HResult.name(hresult) != null ? " " + HResult.name(hresult) : ""), cause);
    this.hresult = hresult;
  }

  public int hresult() {
    return hresult;
  }
}
