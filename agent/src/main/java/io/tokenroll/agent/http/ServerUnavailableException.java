package io.tokenroll.agent.http;

/**
 * The server could not be reached or answered 5xx, after the retries the policy allows. {@code maybeProcessed}
 * is true when the request may have reached the server before the failure (the caller must check before sending
 * it again).
 */
public class ServerUnavailableException extends ServerException {
  private final boolean maybeProcessed;

  public ServerUnavailableException(String message, boolean maybeProcessed, Throwable cause) {
    super(message, cause);
    this.maybeProcessed = maybeProcessed;
  }

  public boolean maybeProcessed() {
    return maybeProcessed;
  }
}
