package io.tokenroll.pkcs11.internal;

import io.tokenroll.pkcs11.TokenException;
import java.util.Set;

/**
 * What PKCS#11 return values mean to a caller ({@link TokenException.Kind}): the one table that decides, for the
 * PKCS#11 provider, which failures a token would give again for the same step and which say it is not there.
 */
public final class ReturnValues {
  /** Return values the same token would give again for the same step. */
  private static final Set<String> REFUSED = Set.of("CKR_KEY_FUNCTION_NOT_PERMITTED", "CKR_MECHANISM_INVALID",
      "CKR_MECHANISM_PARAM_INVALID", "CKR_TEMPLATE_INCONSISTENT", "CKR_TEMPLATE_INCOMPLETE",
      "CKR_ATTRIBUTE_VALUE_INVALID", "CKR_ATTRIBUTE_TYPE_INVALID", "CKR_ATTRIBUTE_READ_ONLY", "CKR_KEY_SIZE_RANGE",
      "CKR_CURVE_NOT_SUPPORTED", "CKR_DOMAIN_PARAMS_INVALID", "CKR_KEY_TYPE_INCONSISTENT", "CKR_DEVICE_MEMORY",
      "CKR_TOKEN_WRITE_PROTECTED", "CKR_SESSION_READ_ONLY", "CKR_FUNCTION_NOT_SUPPORTED", "CKR_ACTION_PROHIBITED",
      "CKR_KEY_UNEXTRACTABLE", "CKR_DATA_LEN_RANGE");
  /** Return values that say the token is not there (now): a card out of its reader, a reader unplugged. */
  private static final Set<String> ABSENT = Set.of("CKR_TOKEN_NOT_PRESENT", "CKR_DEVICE_REMOVED",
      "CKR_TOKEN_NOT_RECOGNIZED", "CKR_SLOT_ID_INVALID");

  private ReturnValues() {
  }

  public static TokenException.Kind kindOf(String ckr) {
    if (ckr == null) {
      return TokenException.Kind.OTHER;
    }
    return ABSENT.contains(ckr) ? TokenException.Kind.ABSENT
        : REFUSED.contains(ckr) ? TokenException.Kind.REFUSED : TokenException.Kind.OTHER;
  }
}
