package io.tokenroll.pkcs11.conformance;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.PinLockedException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.pin.PinSource;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.TestToken;
import io.tokenroll.pkcs11.testing.Tpm2Pkcs11;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A locked PIN, on the one backend here that really locks: wrong PINs on tpm2-pkcs11 count towards the TPM's
 * dictionary-attack lockout, which blocks every key on the TPM (SoftHSM2 and NSS never lock). The test lowers the
 * limit to 2, and restores it whatever happens.
 */
class Tpm2PinLockoutTest {
  @Test
  void login_afterTheTpmLocksOut_reportsLockedEvenForTheRightPin() throws Exception {
    Tpm2Pkcs11 tpm = Tpm2Pkcs11.get();
    TestToken token = tpm.newToken("lockout");
    Path wrong = Backends.writeSecret(token.userPinFile().resolveSibling("wrong.pin"), "0000000");
    try (TokenSession session = token.module().open(token.uri())) {
      daLimits(tpm, 2, 1000);
      assertThrows(PinIncorrectException.class, () -> session.login(PinSource.parse("file:" + wrong)));
      assertThrows(PinIncorrectException.class, () -> session.login(PinSource.parse("file:" + wrong)));
      TokenException locked = assertThrows(PinLockedException.class, () -> session.login(token.userPins()));
      assertTrue(locked.getMessage().contains("locked"), locked.getMessage());
    } finally {
      Backends.run(List.of("tpm2_dictionarylockout", "--clear-lockout"), tpm.environment(), 30);
      daLimits(tpm, 1000, 1);
    }
    try (TokenSession again = token.open()) {
      assertTrue(again.isLoggedIn(), "after the lockout is cleared the right PIN works");
    }
  }

  private static void daLimits(Tpm2Pkcs11 tpm, int maxTries, int recoverySeconds) {
    Backends.run(List.of("tpm2_dictionarylockout", "--setup-parameters", "--max-tries=" + maxTries,
        "--recovery-time=" + recoverySeconds, "--lockout-recovery-time=1"), tpm.environment(), 30);
  }
}
