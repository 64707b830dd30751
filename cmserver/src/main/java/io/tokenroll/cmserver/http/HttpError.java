package io.tokenroll.cmserver.http;

/**
 * A request the server refuses on purpose, with the status and the message the client sees. Each application
 * renders it in its own format (a CM API {@code {"Message": …}}, a certsrv HTML page).
 */
public final class HttpError extends RuntimeException {
  private final int status;

  public HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  public static HttpError forbidden(String message) {
    return new HttpError(403, message);
  }

  public static HttpError notFound(String message) {
    return new HttpError(404, message);
  }
}
