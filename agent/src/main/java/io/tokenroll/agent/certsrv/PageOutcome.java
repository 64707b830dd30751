package io.tokenroll.agent.certsrv;

import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.HResult;

/**
 * What one certfnsh.asp page says about a request: its CR_DISP value, the CA request id (0 when the page names
 * none), the status HRESULT and the disposition message — the four values ICertRequest2 caches.
 */
public record PageOutcome(int disposition, int requestId, int status, String message) {
  /** Before the first request: nothing cached, as a fresh Windows object. */
  public static final PageOutcome NONE = new PageOutcome(Disposition.CR_DISP_INCOMPLETE, 0, HResult.S_OK, "");

  public boolean issued() {
    return disposition == Disposition.CR_DISP_ISSUED;
  }

  /** An error page without a request id: the call failed as a whole, as a COM error would on Windows. */
  public boolean failedCall() {
    return disposition == Disposition.CR_DISP_ERROR && requestId == 0;
  }
}
