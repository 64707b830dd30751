package io.tokenroll.cmserver.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.KeyPairGenerator;
import java.time.Clock;

/** Any Authorization header: a subject or null from the bearer check, never an exception. */
class BearerValidatorFuzzTest {
  private static final BearerValidator VALIDATOR = validator();

  private static BearerValidator validator() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return new BearerValidator(g.generateKeyPair().getPublic(), "https://cm/certificatemanagement",
          Clock.systemUTC());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void subject(String token) {
    VALIDATOR.subject("Bearer " + token);
  }
}
