package io.tokenroll.agent.enroll;

import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.PinLockedException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import java.util.Set;

/**
 * Which token failures an enrollment can wait out and which it cannot: the one table that decides, for every
 * PKCS#11 return value, whether an enrollment is kept for a later run (the token may come back, a PIN may be given)
 * or abandoned — request Abandoned on the server, every key it made removed — because the same step on the same
 * token would fail the same way forever. docs/agent.md shows the table.
 */
public final class TokenFailures {
  /** What a failure means for the enrollment. */
  public enum Verdict {
    /** Retrying cannot help: abandon cleanly, and say what to change. */
    PERMANENT,
    /** The token or the person may be back: keep the enrollment for 'tokenroll resume'. */
    TRANSIENT
  }

  /**
   * Return values the same token would give again for the same step. What each means is in the failure's own
   * message (the token layer's hint), so this table says only which they are.
   */
  static final Set<String> PERMANENT = Set.of("CKR_KEY_FUNCTION_NOT_PERMITTED", "CKR_MECHANISM_INVALID",
      "CKR_MECHANISM_PARAM_INVALID", "CKR_TEMPLATE_INCONSISTENT", "CKR_TEMPLATE_INCOMPLETE",
      "CKR_ATTRIBUTE_VALUE_INVALID", "CKR_ATTRIBUTE_TYPE_INVALID", "CKR_ATTRIBUTE_READ_ONLY", "CKR_KEY_SIZE_RANGE",
      "CKR_CURVE_NOT_SUPPORTED", "CKR_DOMAIN_PARAMS_INVALID", "CKR_KEY_TYPE_INCONSISTENT", "CKR_DEVICE_MEMORY",
      "CKR_TOKEN_WRITE_PROTECTED", "CKR_SESSION_READ_ONLY", "CKR_FUNCTION_NOT_SUPPORTED", "CKR_ACTION_PROHIBITED",
      "CKR_KEY_UNEXTRACTABLE", "CKR_DATA_LEN_RANGE");

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
    if (e.ckr() == null) {
      return e instanceof TokenUnsupportedException ? Verdict.PERMANENT : Verdict.TRANSIENT;
    }
    return PERMANENT.contains(e.ckr()) ? Verdict.PERMANENT : Verdict.TRANSIENT;
  }

  /** Return values that say the token is not there (now): a card out of its reader, a reader unplugged. */
  static final java.util.Set<String> ABSENT = java.util.Set.of("CKR_TOKEN_NOT_PRESENT", "CKR_DEVICE_REMOVED",
      "CKR_TOKEN_NOT_RECOGNIZED", "CKR_SLOT_ID_INVALID");

  /**
   * What a transient failure waits for, when it is something outside that will change: the token coming back, a
   * PIN that can be had or a right one (a wrong or locked PIN waits for a person); null for the rest (kept as
   * they are, for resume or abandon).
   */
  public static Waiting waitsFor(TokenException e) {
    if (e instanceof io.tokenroll.pkcs11.TokenNotFoundException || e.ckr() != null && ABSENT.contains(e.ckr())) {
      return Waiting.TOKEN_ABSENT;
    }
    return e instanceof io.tokenroll.pkcs11.PinUnavailableException || refusesPin(e) ? Waiting.PIN_NEEDED : null;
  }

  /**
   * A PIN the token refused (wrong, or locked) — or a card administrator key it refused: never tried again by
   * itself, cards lock.
   */
  public static boolean refusesPin(TokenException e) {
    return e instanceof PinIncorrectException || e instanceof PinLockedException
        || e instanceof io.tokenroll.pkcs11.AdminKeyRefusedException;
  }

  /** For a permanent failure: what the token refused (its message names the step, the CKR and why) and what to do. */
  static String explain(TokenException e) {
    return "the token refused the enrollment for good (" + e.getMessage() + "); choose a template this token can "
        + "do, or another token";
  }
}
