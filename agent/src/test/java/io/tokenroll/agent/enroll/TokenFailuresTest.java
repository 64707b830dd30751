package io.tokenroll.agent.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenroll.agent.enroll.TokenFailures.Verdict;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import org.junit.jupiter.api.Test;

/** The table that decides whether an enrollment waits or is abandoned after a token failure. */
class TokenFailuresTest {
  private static Verdict of(String ckr) {
    return TokenFailures.of(new TokenException("x", ckr, null));
  }

  @Test
  void whatTheSameTokenWouldRefuseAgain_isPermanent() {
    for (String ckr : new String[] {"CKR_KEY_FUNCTION_NOT_PERMITTED", "CKR_MECHANISM_INVALID",
        "CKR_TEMPLATE_INCONSISTENT", "CKR_KEY_SIZE_RANGE", "CKR_DEVICE_MEMORY", "CKR_TOKEN_WRITE_PROTECTED"}) {
      assertEquals(Verdict.PERMANENT, of(ckr), ckr);
    }
    assertEquals(Verdict.PERMANENT, TokenFailures.of(new TokenUnsupportedException("token cannot make RSA-4096")));
  }

  @Test
  void whatMayPassIsTransient_andSoIsAnythingUnknown() {
    for (String ckr : new String[] {"CKR_TOKEN_NOT_PRESENT", "CKR_DEVICE_REMOVED", "CKR_SESSION_HANDLE_INVALID",
        "CKR_DEVICE_ERROR", "CKR_USER_NOT_LOGGED_IN", "CKR_PIN_INCORRECT", "CKR_FUNCTION_FAILED",
        "CKR_VENDOR_DEFINED"}) {
      assertEquals(Verdict.TRANSIENT, of(ckr), ckr);
    }
    assertEquals(Verdict.TRANSIENT, TokenFailures.of(new TokenException("lost the token")));
  }
}
