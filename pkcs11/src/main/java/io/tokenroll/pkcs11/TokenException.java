package io.tokenroll.pkcs11;

import java.security.GeneralSecurityException;

/**
 * A token failure. The message is one line naming the token and the object; {@link #kind()} says what the failure
 * means whatever the provider said it with, and {@link #ckr()} is the provider's own code — a PKCS#11 return value
 * name (CKR_…) — when there is one.
 */
public class TokenException extends GeneralSecurityException {
  /** What a failure means to a caller, in no provider's terms. */
  public enum Kind {
    /** The token is not there now (removed, its reader gone): it may come back. */
    ABSENT,
    /** The token would refuse the same request the same way again (mechanism, key size, read-only, full…). */
    REFUSED,
    /** Anything else — a device error, a lost session, a PIN, something unknown: it may pass. */
    OTHER
  }

  private final Kind kind;
  private final String ckr;

  public TokenException(String message) {
    this(message, Kind.OTHER, null, null);
  }

  /** A PKCS#11 failure: its kind follows from the return value. */
  public TokenException(String message, String ckr, Throwable cause) {
    this(message, io.tokenroll.pkcs11.internal.ReturnValues.kindOf(ckr), ckr, cause);
  }

  public TokenException(String message, Kind kind, String ckr, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.ckr = ckr;
  }

  public Kind kind() {
    return kind;
  }

  public String ckr() {
    return ckr;
  }
}
