package io.tokenroll.agent.response;

/** A CA answer that cannot be installed: malformed, failed, for another key, or a chain that does not chain. */
public class InvalidResponseException extends Exception {
  public InvalidResponseException(String message) {
    super(message);
  }

  /**
   * Refuses ASN.1 no decoder should be given (too deep, too large, lengths that do not add up) before a recursive
   * decoder overflows its stack on it.
   */
  public static void checkShape(byte[] der, String what) throws InvalidResponseException {
    try {
      io.tokenroll.agent.encoding.DerBounds.check(der, what);
    } catch (io.tokenroll.agent.encoding.DerBounds.TooComplexException e) {
      throw new InvalidResponseException(e.getMessage() + "; refused");
    }
  }
}
