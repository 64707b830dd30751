package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.testing.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A token that refuses for good at each step of key generation and installation, on a real SoftHSM2 token: a small
 * PKCS#11 module (src/test/c/faulty_pkcs11.c, compiled here) forwards every call to SoftHSM2 and fails the n-th
 * call of one function with the return value a card would give. Each time the enrollment ends — request Abandoned
 * on the server, message naming what the token refused — and pkcs11-tool, reading SoftHSM2 directly, finds no key
 * and no certificate left: the token is as it was before.
 */
class TokenFaultsE2eTest {
  private static Path faultyModule;
  private static Stack stack;

  @BeforeAll
  static void build() throws Exception {
    faultyModule = ForwardingModule.library();
    stack = new Stack("token-faults");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @ParameterizedTest(name = "{0} call {2} fails with {1}")
  @CsvSource({
      "C_GenerateKeyPair, 70, 1, CKR_MECHANISM_INVALID",            // the first key
      "C_GenerateKeyPair, 31, 2, CKR_DEVICE_MEMORY",                // the second key: the first must go
      "C_SetAttributeValue, D1, 1, CKR_TEMPLATE_INCONSISTENT",      // giving the first key its final id
      "C_SignInit, 68, 2, CKR_KEY_FUNCTION_NOT_PERMITTED",          // the encryption key signing its CSR
      "C_CreateObject, 31, 1, CKR_DEVICE_MEMORY"})                  // storing the first issued certificate
  void aPermanentFailure_leavesTheTokenAsItWas(String function, String ckr, int call, String name)
      throws Exception {
    try (Stack s = stack.fresh("fault-" + function.toLowerCase())) {
      List<String> args = new ArrayList<>(s.enrollArgs("Smart Card Signing and Encryption"));
      args.set(args.indexOf("--module") + 1, faultyModule.toString());
      Map<String, String> env = new HashMap<>(s.token.environment());
      env.put("TOKENROLL_P11_TARGET", s.token.library().toString());
      env.put("TOKENROLL_P11_FAULT", function + ":" + ckr + ":" + call);
      Cli run = ChildProcess.run(env, args);
      assertEquals(ExitCodes.FAILED, run.exitCode(), run.toString());
      assertTrue(run.out().contains(name) && run.out().contains("refused the enrollment for good"), run.toString());
      Enrollment e = new FileJournal(s.state.resolve("enrollments")).all().get(0);
      assertEquals(EnrollmentState.ABANDONED, e.state, "not left to fail the same way on every resume");
      assertEquals("Abandoned", s.server.admin().requests().stream().filter(r -> r.uuid().equals(e.requestId))
          .findFirst().orElseThrow().status());
      String left = s.pkcs11Tool("--list-objects");
      assertFalse(left.contains("Private Key Object") || left.contains("Public Key Object")
          || left.contains("Certificate Object"), "nothing left on the token: " + left);
    }
  }

  /**
   * The agent (a child process, scanning every ten minutes) meets a token failure that may pass — the device error
   * a card gives when another program reset it — while it starts a token's enrollment: the enrollment, journaled,
   * is tried again at the agent's polling interval and completes, instead of waiting for the next scan.
   */
  @org.junit.jupiter.api.Test
  void aTransientFailureAsTheAgentStarts_isTriedAgainAtThePollInterval_notAtTheNextScan() throws Exception {
    try (Stack s = stack.fresh("fault-agent")) {
      Path cfg = Files.writeString(s.dir.resolve("agent.json"), """
          {"server": {"url": "%s", "trust": "%s",
                      "login": {"method": "basic", "user": "%s", "secretSource": "file:%s"}},
           "scanInterval": "PT10M", "pollInterval": "PT0.5S", "pollCeiling": "PT2S",
           "rules": [{"name": "logon", "module": "%s", "match": "pkcs11:token=%s", "template": "Smart Card Logon EC",
                      "pinSource": "file:%s"}]}
          """.formatted(s.server.baseUri(), s.trust, s.user, s.password, faultyModule, s.token.label(),
          s.token.userPinFile()));
      Map<String, String> env = new HashMap<>(s.token.environment());
      env.put("TOKENROLL_P11_TARGET", s.token.library().toString());
      env.put("TOKENROLL_P11_FAULT", "C_SignInit:30:1"); // CKR_DEVICE_ERROR on the CSR's signature
      Path output = s.dir.resolve("agent.log");
      Process agent = ChildProcess.start(env, List.of("agent", "--config", cfg.toString(), "--state-dir",
          s.state.toString()), output);
      List<Enrollment> journal = List.of();
      for (int i = 0; i < 600 && journal.stream().noneMatch(e -> e.state == EnrollmentState.COMPLETED); i++) {
        Thread.sleep(100);
        journal = new FileJournal(s.state.resolve("enrollments")).all();
      }
      ChildProcess.kill(agent);
      String log = Files.readString(output);
      assertTrue(log.contains("CKR_DEVICE_ERROR"), "the fault met: " + log);
      assertEquals(1, journal.size(), log);
      assertEquals(EnrollmentState.COMPLETED, journal.get(0).state, "completed well before the next scan, ten "
          + "minutes away: " + log);
      var request = journal.get(0).requestId;
      assertEquals("Completed", s.server.admin().requests().stream().filter(r -> r.uuid().equals(request))
          .findFirst().orElseThrow().status(), "the one request, resumed: not a second enrollment");
    }
  }
}
