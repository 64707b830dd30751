package io.tokenroll.agent.enroll;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.mimcm.Models.GenerationOption;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPlansTest {
  private static GenerationOption option(String alg, Integer size, String hash, Integer usages, Integer exportable) {
    return new GenerationOption("", alg, size, "My cert", hash, List.of("Contoso Smart Card Key Storage Provider"),
        exportable, 0, usages);
  }

  @Test
  void mimsDocumentedExample_rsa2048Sha1DecryptAndSign() throws Exception {
    KeyPlan p = KeyPlans.from(option("RSA", 2048, "SHA1", 3, 0), 0, "fallback");
    assertEquals("RSA-2048", p.keySpec);
    assertEquals("SHA1", p.hash);
    assertEquals(List.of("SIGN", "DECRYPT"), p.usages);
    assertFalse(p.exportable);
    assertEquals("My cert", p.label);
    assertTrue(p.provisionalId.startsWith("7472"), "provisional ids start with 'tr' so they can be recognised");
  }

  @Test
  void winrtEcNames_andDefaults() throws Exception {
    assertEquals("EC-P256", KeyPlans.from(option("ECDSA_P256", 256, "SHA256", 2, 1), 0, "x").keySpec);
    assertEquals("EC-P384", KeyPlans.from(option("ECDSA", 384, null, 0, 0), 0, "x").keySpec);
    KeyPlan ecdh = KeyPlans.from(option("ECDH_P256", 256, "SHA256", 4, 0), 0, "x");
    assertEquals(List.of("KEY_AGREEMENT"), ecdh.usages);
    assertTrue(KeyPlans.from(option("RSA", 2048, "SHA256", 2, 1), 0, "x").exportable);
    assertEquals(List.of("SIGN"), KeyPlans.from(option("RSA", 3072, "SHA256", 0, 0), 0, "x").usages,
        "KeyUsages 0 means the default, Signing");
  }

  @Test
  void unknownAlgorithmOrHash_failsWithTheServersWords() {
    var e = assertThrows(EnrollmentException.class, () -> KeyPlans.from(option("DSA", 1024, "SHA1", 2, 0), 0, "x"));
    assertTrue(e.getMessage().contains("KeyAlgorithmName 'DSA'"), e.getMessage());
    var h = assertThrows(EnrollmentException.class, () -> KeyPlans.from(option("RSA", 2048, "MD5", 2, 0), 0, "x"));
    assertTrue(h.getMessage().contains("'MD5'"), h.getMessage());
  }
}
