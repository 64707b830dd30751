package io.tokenroll.agent.http;

/** A failed exchange with a server; subclasses say whether waiting could help. */
public class ServerException extends Exception {
  public ServerException(String message) {
    super(message);
  }

  public ServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
