package io.tokenroll.pkcs11;

/**
 * The token cannot do what was asked (a key size, a mechanism, key import, writing on a read-only token).
 * The message says what the token offers instead when that is known.
 */
public class TokenUnsupportedException extends TokenException {
  public TokenUnsupportedException(String message) {
    super(message);
  }

  public TokenUnsupportedException(String message, String ckr, Throwable cause) {
    super(message, ckr, cause);
  }
}
