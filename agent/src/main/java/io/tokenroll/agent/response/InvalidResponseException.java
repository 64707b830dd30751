package io.tokenroll.agent.response;

/** A CA answer that cannot be installed: malformed, failed, for another key, or a chain that does not chain. */
public class InvalidResponseException extends Exception {
  public InvalidResponseException(String message) {
    super(message);
  }
}
