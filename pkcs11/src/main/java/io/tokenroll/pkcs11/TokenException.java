package io.tokenroll.pkcs11;

import java.security.GeneralSecurityException;

/**
 * A token or PKCS#11 failure. The message is one line naming the token and the object; {@link #ckr()} is the
 * PKCS#11 return value name (CKR_…) when the module returned one.
 */
public class TokenException extends GeneralSecurityException {
  private final String ckr;

  public TokenException(String message) {
    this(message, null, null);
  }

  public TokenException(String message, String ckr, Throwable cause) {
    super(message, cause);
    this.ckr = ckr;
  }

  public String ckr() {
    return ckr;
  }
}
