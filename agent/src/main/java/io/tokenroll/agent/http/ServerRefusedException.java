package io.tokenroll.agent.http;

/** The server answered with a 4xx status: waiting will not help. The message includes the server's own text. */
public class ServerRefusedException extends ServerException {
  private final int status;

  public ServerRefusedException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
