package io.tokenroll.agent.enroll;

import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.PinLockedException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import java.util.Map;

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

  /** Permanent return values, with what the user can change. */
  static final Map<String, String> PERMANENT = Map.ofEntries(
      Map.entry("CKR_KEY_FUNCTION_NOT_PERMITTED", "the token will not use the key as the template needs"),
      Map.entry("CKR_MECHANISM_INVALID", "the token lacks the mechanism the template's key type needs"),
      Map.entry("CKR_MECHANISM_PARAM_INVALID", "the token refuses the mechanism's parameters"),
      Map.entry("CKR_TEMPLATE_INCONSISTENT", "the token refuses the key's attributes (usages, exportability)"),
      Map.entry("CKR_TEMPLATE_INCOMPLETE", "the token wants attributes tokenroll does not set"),
      Map.entry("CKR_ATTRIBUTE_VALUE_INVALID", "the token refuses an attribute value the template needs"),
      Map.entry("CKR_ATTRIBUTE_TYPE_INVALID", "the token does not know an attribute the template needs"),
      Map.entry("CKR_ATTRIBUTE_READ_ONLY", "the token will not change an attribute the enrollment sets"),
      Map.entry("CKR_KEY_SIZE_RANGE", "the token cannot make keys of this size"),
      Map.entry("CKR_CURVE_NOT_SUPPORTED", "the token cannot make keys on this curve"),
      Map.entry("CKR_DOMAIN_PARAMS_INVALID", "the token cannot make keys on this curve"),
      Map.entry("CKR_KEY_TYPE_INCONSISTENT", "the key type does not fit the mechanism"),
      Map.entry("CKR_DEVICE_MEMORY", "the token is full: remove objects it no longer needs, or use another token"),
      Map.entry("CKR_TOKEN_WRITE_PROTECTED", "the token is read-only"),
      Map.entry("CKR_SESSION_READ_ONLY", "the token is read-only"),
      Map.entry("CKR_FUNCTION_NOT_SUPPORTED", "the token does not implement a function the enrollment needs"),
      Map.entry("CKR_ACTION_PROHIBITED", "the token's policy forbids the operation"),
      Map.entry("CKR_KEY_UNEXTRACTABLE", "the token will not release the key"),
      Map.entry("CKR_DATA_LEN_RANGE", "the token cannot sign data of this length with this key"));

  private TokenFailures() {
  }

  /**
   * The verdict on a failure. A refusal tokenroll made itself from the token's capabilities (no CKR) is permanent;
   * a PIN problem never is (it is never retried, but the enrollment waits for the right PIN or an unblock); every
   * other return value — token removed, session lost, device error, anything unknown — is transient: keeping an
   * enrollment costs nothing, abandoning one that could have gone on costs a key.
   */
  public static Verdict of(TokenException e) {
    if (e instanceof PinIncorrectException || e instanceof PinLockedException) {
      return Verdict.TRANSIENT;
    }
    if (e.ckr() == null) {
      return e instanceof TokenUnsupportedException ? Verdict.PERMANENT : Verdict.TRANSIENT;
    }
    return PERMANENT.containsKey(e.ckr()) ? Verdict.PERMANENT : Verdict.TRANSIENT;
  }

  /** For a permanent failure: what the token refused and what to change, in one sentence. */
  static String explain(TokenException e) {
    String advice = e.ckr() == null ? null : PERMANENT.get(e.ckr());
    return "the token refused the enrollment for good (" + e.getMessage() + ")"
        + (advice == null ? "" : ": " + advice) + "; choose a template this token can do, or another token";
  }
}
