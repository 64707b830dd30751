package io.tokenroll.pkcs11.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.testing.TestToken;
import io.tokenroll.pkcs11.testing.Tpm2Pkcs11;
import org.junit.jupiter.api.Test;

/**
 * tpm2-pkcs11 leaks TPM transient handles with every key pair (tpm2-abrmd allows 100 per connection): past about
 * 48 pairs per C_Initialize the TPM refuses. The layer stops at its budget with a clear message, and initialises
 * the library again once the last session closes, so the next session generates keys again.
 */
class Tpm2KeyBudgetTest {
  @Test
  void keyGeneration_stopsAtTheBudget_andGoesOnInANewSessionAfterTheLibraryIsInitialisedAgain() throws Exception {
    TestToken token = Tpm2Pkcs11.get().newToken("budget");
    KeyTemplate template = KeyTemplate.signing(KeySpec.parse("EC-P256"), "budget");
    int budget;
    try (TokenSession s = token.open()) {
      budget = s.capabilities().keyGenerationsPerInitialization();
      assertEquals(40, budget, "the tpm2-pkcs11 quirk");
      for (int made = 0; ; made++) {
        try {
          s.generateKeyPair(template);
        } catch (TokenException refused) {
          assertTrue(refused.getMessage().contains("initialised again"), refused.getMessage());
          break;
        }
        if (made > budget) {
          fail("no refusal after " + made + " key pairs");
        }
      }
    }
    try (TokenSession s = token.open()) {
      s.generateKeyPair(template); // a fresh budget: the library was finalised and initialised again
      assertTrue(s.find(ObjectQuery.byLabel("budget")).size() > 2);
      s.delete(ObjectQuery.byLabel("budget"));
    }
  }
}
