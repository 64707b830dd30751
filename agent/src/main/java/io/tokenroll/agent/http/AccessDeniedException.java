package io.tokenroll.agent.http;

/**
 * The server did not accept who we are (401, or TLS trust failed): credentials, a client certificate or the trust
 * anchors need fixing. Not a verdict on the request, so an enrollment that meets it is kept for resume, never
 * abandoned: a mistyped password must not cost keys or an issued certificate.
 */
public class AccessDeniedException extends ServerRefusedException {
  public AccessDeniedException(int status, String message) {
    super(status, message);
  }
}
