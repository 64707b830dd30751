package io.tokenroll.pkcs11;

/** The token refused the PIN. It is never retried automatically: each try brings the card closer to locking. */
public class PinIncorrectException extends TokenException {
  private final PinStatus status;

  public PinIncorrectException(TokenInfo token, PinStatus status) {
    super("wrong PIN for " + token.describe() + " (" + status.describe()
        + "); not retried — check the PIN source before trying again", "CKR_PIN_INCORRECT", null);
    this.status = status;
  }

  /** A secret other than the user PIN (a PIV card's PUK), with its own message. */
  public PinIncorrectException(String message, PinStatus status) {
    super(message, "CKR_PIN_INCORRECT", null);
    this.status = status;
  }

  public PinStatus status() {
    return status;
  }
}
