package io.tokenroll.pkcs11;

/** The card refused the answer to its administrator challenge: the key that answered is not the one it holds. */
public class AdminKeyRefusedException extends TokenException {
  public AdminKeyRefusedException(String message) {
    super(message);
  }
}
