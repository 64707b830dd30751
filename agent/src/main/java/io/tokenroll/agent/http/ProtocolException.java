package io.tokenroll.agent.http;

/** The server's answer is not what the protocol allows (malformed JSON, broken base64, a huge body …). */
public class ProtocolException extends ServerException {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
