package io.tokenroll.pkcs11;

/**
 * The card refused the answer to its administrator challenge: the key that answered is not the one it holds. Like a
 * wrong PIN it is not tried again by itself — cards may count management-key failures too.
 */
public class AdminKeyRefusedException extends TokenException {
  public AdminKeyRefusedException(String message) {
    super(message);
  }
}
