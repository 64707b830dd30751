package io.tokenroll.pkcs11.internal;

import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import java.util.Map;
import org.xipki.pkcs11.wrapper.PKCS11Exception;

/** Turns PKCS#11 return values into one-line messages that name the token and say what to do. */
final class Errors {
  private static final Map<String, String> HINTS = Map.ofEntries(
      Map.entry("CKR_MECHANISM_INVALID", "the token does not offer this mechanism"),
      Map.entry("CKR_KEY_SIZE_RANGE", "the token does not support this key size"),
      Map.entry("CKR_TEMPLATE_INCONSISTENT", "the token refused the attribute combination"),
      Map.entry("CKR_ATTRIBUTE_VALUE_INVALID", "the token refused an attribute value"),
      Map.entry("CKR_ATTRIBUTE_TYPE_INVALID", "the token does not know an attribute"),
      Map.entry("CKR_TOKEN_WRITE_PROTECTED", "the token is read-only"),
      Map.entry("CKR_SESSION_READ_ONLY", "the token is read-only"),
      Map.entry("CKR_USER_NOT_LOGGED_IN", "log in with the user PIN first"),
      Map.entry("CKR_DEVICE_REMOVED", "the token was removed"),
      Map.entry("CKR_TOKEN_NOT_PRESENT", "the token was removed"),
      Map.entry("CKR_SESSION_HANDLE_INVALID", "the session was lost (token removed or module reset)"),
      Map.entry("CKR_SESSION_CLOSED", "the session was lost (token removed or module reset)"),
      Map.entry("CKR_DEVICE_MEMORY", "the token is full: remove objects it no longer needs, or use another token"),
      Map.entry("CKR_DEVICE_ERROR", "the token reported a device error"),
      Map.entry("CKR_FUNCTION_NOT_SUPPORTED", "the token does not implement this function"),
      Map.entry("CKR_KEY_TYPE_INCONSISTENT", "the key does not fit this mechanism"),
      Map.entry("CKR_KEY_FUNCTION_NOT_PERMITTED", "the key's attributes forbid this use"),
      Map.entry("CKR_OBJECT_HANDLE_INVALID", "the object no longer exists"),
      Map.entry("CKR_PIN_LEN_RANGE", "the PIN length is outside what the token accepts"),
      Map.entry("CKR_PIN_INVALID", "the PIN has characters the token does not accept"),
      Map.entry("CKR_MECHANISM_PARAM_INVALID", "the token refuses the mechanism's parameters"),
      Map.entry("CKR_TEMPLATE_INCOMPLETE", "the token wants attributes tokenroll does not set"),
      Map.entry("CKR_ATTRIBUTE_READ_ONLY", "the token will not change this attribute"),
      Map.entry("CKR_CURVE_NOT_SUPPORTED", "the token cannot make keys on this curve"),
      Map.entry("CKR_DOMAIN_PARAMS_INVALID", "the token cannot make keys on this curve"),
      Map.entry("CKR_ACTION_PROHIBITED", "the token's policy forbids the operation"),
      Map.entry("CKR_KEY_UNEXTRACTABLE", "the token will not release the key"),
      Map.entry("CKR_DATA_LEN_RANGE", "the token cannot sign data of this length with this key"));

  private static final java.util.Set<String> UNSUPPORTED = java.util.Set.of("CKR_MECHANISM_INVALID",
      "CKR_SESSION_READ_ONLY",
      "CKR_KEY_SIZE_RANGE", "CKR_TOKEN_WRITE_PROTECTED", "CKR_FUNCTION_NOT_SUPPORTED", "CKR_TEMPLATE_INCONSISTENT",
      "CKR_ATTRIBUTE_VALUE_INVALID", "CKR_ATTRIBUTE_TYPE_INVALID", "CKR_KEY_TYPE_INCONSISTENT");

  private Errors() {
  }

  static TokenException of(String action, TokenInfo token, PKCS11Exception e) {
    String ckr = e.getErrorName();
    String hint = HINTS.get(ckr);
    String message = action + " on " + token.describe() + " failed: " + ckr + (hint == null ? "" : " (" + hint + ")");
    return UNSUPPORTED.contains(ckr)
        ? new TokenUnsupportedException(message, ckr, e)
        : new TokenException(message, ckr, e);
  }

  static boolean is(PKCS11Exception e, long code) {
    return e.getErrorCode() == code;
  }
}
