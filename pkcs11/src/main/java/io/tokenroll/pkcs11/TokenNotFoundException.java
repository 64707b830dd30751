package io.tokenroll.pkcs11;

/** No token (or more than one) matches the selection. */
public class TokenNotFoundException extends TokenException {
  public TokenNotFoundException(String message) {
    super(message);
  }
}
