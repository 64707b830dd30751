package io.tokenroll.pkcs11;

/** The user PIN is blocked; only an unblock with the security officer PIN (or the card issuer) helps. */
public class PinLockedException extends TokenException {
  public PinLockedException(TokenInfo token) {
    super("the user PIN of " + token.describe() + " is locked; unblock it (tokenroll unblock) before use",
        "CKR_PIN_LOCKED", null);
  }

  /** A secret other than the user PIN is blocked (a PIV card's PUK), with its own message. */
  public PinLockedException(String message) {
    super(message, "CKR_PIN_LOCKED", null);
  }
}
