package io.tokenroll.pkcs11;

/**
 * The PIN cannot be had now — no terminal to ask on, an unset variable, a PIN file that is not there — as opposed
 * to a wrong one. Nothing reached the token; an enrollment meeting it waits until a PIN can be had.
 */
public class PinUnavailableException extends TokenException {
  public PinUnavailableException(String message) {
    super(message);
  }
}
