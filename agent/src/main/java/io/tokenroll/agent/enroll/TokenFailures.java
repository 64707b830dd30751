package io.tokenroll.agent.enroll;

import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.PinLockedException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenUnsupportedException;

/**
 * Which token failures an enrollment can wait out and which it cannot: whether an enrollment is kept for a later run
 * (the token may come back, a PIN may be given) or abandoned — request Abandoned on the server, every key it made
 * removed — because the same step on the same token would fail the same way forever. It reads the failure's kind,
 * which each token provider gives in no provider's terms (PKCS#11's table: pkcs11.internal.ReturnValues).
 */
public final class TokenFailures {
  /** What a failure means for the enrollment. */
  public enum Verdict {
    /** Retrying cannot help: abandon cleanly, and say what to change. */
    PERMANENT,
    /** The token or the person may be back: keep the enrollment for 'tokenroll resume'. */
    TRANSIENT
  }

  private TokenFailures() {
  }

  /**
   * The verdict on a failure. A refusal tokenroll made itself from the token's capabilities (no CKR) is permanent;
   * a PIN problem never is (it is never retried, but the enrollment waits for the right PIN or an unblock); every
   * other return value — token removed, session lost, device error, anything unknown — is transient: keeping an
   * enrollment costs nothing, abandoning one that could have gone on costs a key.
   */
  public static Verdict of(TokenException e) {
    if (refusesPin(e)) {
      return Verdict.TRANSIENT;
    }
    // a card that refuses the server's management key holds neither key the server knows (another issuer's card,
    // or a key changed behind its back): nothing later changes that, and each try may count against the card
    return e instanceof TokenUnsupportedException || e instanceof io.tokenroll.pkcs11.AdminKeyRefusedException
        || e.kind() == TokenException.Kind.REFUSED ? Verdict.PERMANENT : Verdict.TRANSIENT;
  }

  /**
   * What a transient failure waits for, when it is something outside that will change: the token coming back, a
   * PIN that can be had or a right one (a wrong or locked PIN waits for a person); null for the rest (kept as
   * they are, for resume or abandon).
   */
  public static Waiting waitsFor(TokenException e) {
    if (e instanceof io.tokenroll.pkcs11.TokenNotFoundException || e.kind() == TokenException.Kind.ABSENT) {
      return Waiting.TOKEN_ABSENT;
    }
    return e instanceof io.tokenroll.pkcs11.PinUnavailableException || refusesPin(e) ? Waiting.PIN_NEEDED : null;
  }

  /** A PIN the token refused (wrong, or locked): never tried again by itself — cards lock. */
  public static boolean refusesPin(TokenException e) {
    return e instanceof PinIncorrectException || e instanceof PinLockedException;
  }

  /** For a permanent failure: what the token refused (its message names the step, the CKR and why) and what to do. */
  static String explain(TokenException e) {
    return "the token refused the enrollment for good (" + e.getMessage() + "); choose a template this token can "
        + "do, or another token";
  }
}
