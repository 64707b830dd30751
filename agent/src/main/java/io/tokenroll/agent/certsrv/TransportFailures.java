package io.tokenroll.agent.certsrv;

import io.tokenroll.agent.http.ProtocolException;
import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.http.ServerRefusedException;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.HResult;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP and network failures as the HRESULTs a Windows client reports for them: HTTP_E_STATUS_* (0x80190000 |
 * status) for an HTTP error status, WinHTTP's errors for connections, timeouts and TLS, ERROR_INVALID_DATA for an
 * answer that is too large or malformed.
 */
final class TransportFailures {
  private static final int HTTP_FACILITY = 0x80190000;
  private static final Pattern SERVER_ERROR = Pattern.compile("server error (\\d{3})");

  private TransportFailures() {
  }

  static CertSrvException of(ServerException e, String what) {
    String text = what + ": " + e.getMessage();
    if (e instanceof ServerRefusedException r) {
      return switch (r.status()) {
        case 0 -> new CertSrvException(HResult.ERROR_WINHTTP_SECURE_FAILURE, text, e);
        case 401 -> new CertSrvException(HResult.HTTP_E_STATUS_DENIED, text
            + " (check the user name and password, or the client certificate)", e);
        case 404 -> new CertSrvException(HResult.HTTP_E_STATUS_NOT_FOUND, text
            + " (is the configuration the web enrollment URL, https://<host>/certsrv?)", e);
        default -> new CertSrvException(HTTP_FACILITY | r.status(), text, e);
      };
    }
    if (e instanceof ProtocolException) {
      return new CertSrvException(HResult.ERROR_INVALID_DATA, text, e);
    }
    if (e.getCause() instanceof ConnectException
        || e instanceof io.tokenroll.agent.http.ServerUnavailableException u && !u.maybeProcessed()) {
      // refused, unknown host, no route, connect timeout: the request never left
      return new CertSrvException(HResult.ERROR_WINHTTP_CANNOT_CONNECT, text, e);
    }
    if (e.getCause() instanceof SocketTimeoutException) {
      return new CertSrvException(HResult.ERROR_WINHTTP_TIMEOUT, text, e);
    }
    Matcher m = SERVER_ERROR.matcher(e.getMessage() == null ? "" : e.getMessage());
    if (m.find()) {
      return new CertSrvException(HTTP_FACILITY | Integer.parseInt(m.group(1)), text, e);
    }
    return new CertSrvException(HResult.ERROR_WINHTTP_CONNECTION_ERROR, text, e);
  }

  /** An answer with a status the page never sends (a redirect to a login page, 204 …). */
  static CertSrvException unexpectedStatus(int status, String location, String what) {
    return new CertSrvException(HResult.HTTP_E_STATUS_UNEXPECTED, what + " answered HTTP " + status
        + (location == null ? "" : " (redirect to " + CertsrvPages.clean(location) + ")") + " instead of 200");
  }
}
