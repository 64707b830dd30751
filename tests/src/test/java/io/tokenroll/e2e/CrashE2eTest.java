package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentId;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.TokenObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kills the real tokenroll process with SIGKILL at every journaled state of an enrollment — right after the
 * state is journaled and, for each side effect, right after the effect and before its result is journaled —
 * then resumes it and checks: completed or cleanly abandoned, no orphan key, no duplicate certificate, and every
 * request on the server Completed or Abandoned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashE2eTest {
  private Stack stack;

  @BeforeAll
  void start() throws Exception {
    stack = new Stack("crash");
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  /** Killed after the server took the CSRs but before their answer was journaled: the answer is lost for good. */
  @ParameterizedTest(name = "killed at {1} ({0}) -> {2}")
  @CsvSource({
      "Smart Card Logon, CREATING_REQUEST, COMPLETED",
      "Smart Card Logon, CREATING_REQUEST:done, COMPLETED",
      "Smart Card Logon, REQUESTED, COMPLETED",
      "Smart Card Logon, APPROVED, COMPLETED",
      "Smart Card Logon, BINDING_CARD, COMPLETED",
      "Smart Card Logon, BINDING_CARD:done, COMPLETED",
      "Smart Card Logon, CARD_BOUND, COMPLETED",
      "Smart Card Logon, NEED_KEYS, COMPLETED",
      "Smart Card Logon, GENERATING_KEY, COMPLETED",
      "Smart Card Logon, GENERATING_KEY:done, COMPLETED",
      "Smart Card Logon, NEED_SUBMIT, COMPLETED",
      "Smart Card Logon, SUBMITTING, COMPLETED",
      "Smart Card Logon, SUBMITTING:done, ABANDONED",
      "Smart Card Logon, NEED_INSTALL, COMPLETED",
      "Smart Card Logon, INSTALLING, COMPLETED",
      "Smart Card Logon, INSTALLING:done, COMPLETED",
      "Smart Card Logon, NEED_COMPLETE, COMPLETED",
      "Smart Card Logon, NEED_COMPLETE:done, COMPLETED",
      "Smart Card with Key Recovery, NEED_INSTALL, COMPLETED",
      "Smart Card with Key Recovery, INSTALLING:done, COMPLETED",
      "Denied by CA, INSTALLING, COMPLETED",
  })
  void killed_thenResumed_completesOrAbandonsCleanly(String template, String point, EnrollmentState expected)
      throws Exception {
    Set<EnrollmentId> before = enrollmentIds();
    Process child = ChildProcess.start(Map.of("TOKENROLL_DEBUG_HALT", point), stack.enrollArgs(template));
    ChildProcess.awaitLine(child, "halted at " + point, 120);
    ChildProcess.kill(child);

    Enrollment killed = journal().all().stream().filter(e -> !before.contains(e.id)).findFirst()
        .orElseThrow(() -> new AssertionError("the killed run left no journal entry"));
    assertFalse(killed.state.isFinal(), "killed before the end, at " + killed.state);

    Cli resumed = stack.cli("resume", killed.id.value());
    Enrollment after = journal().get(killed.id).orElseThrow();
    assertEquals(expected, after.state, "resume ends " + expected + "\n" + resumed);
    if (after.state == EnrollmentState.COMPLETED) {
      assertEquals(0, resumed.exitCode(), resumed.toString());
    }
    assertNoOrphanKeys();
    assertNoDuplicateCertificates();
    assertServerRequestsSettled();
  }

  /** Killed while giving up (the server refused the CSRs): resume finishes the clean-up. */
  @Test
  void killedWhileAbandoning_thenResumed_isAbandonedCleanly() throws Exception {
    Set<EnrollmentId> before = enrollmentIds();
    stack.server.faults().replaceResponse("POST", "/certificatedata$", 1, 403, "application/json",
        "{\"Message\":\"not for you\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Process child = ChildProcess.start(Map.of("TOKENROLL_DEBUG_HALT", "NEED_ABANDON"),
        stack.enrollArgs("Smart Card Logon"));
    ChildProcess.awaitLine(child, "halted at NEED_ABANDON", 120);
    ChildProcess.kill(child);
    Enrollment killed = journal().all().stream().filter(e -> !before.contains(e.id)).findFirst().orElseThrow();
    assertEquals(EnrollmentState.NEED_ABANDON, killed.state);
    stack.cli("resume", killed.id.value());
    assertEquals(EnrollmentState.ABANDONED, journal().get(killed.id).orElseThrow().state);
    assertNoOrphanKeys();
    assertServerRequestsSettled();
  }

  /**
   * Hostile-test finding 2: a journaled answer that cannot be read made every resume die the same way. Now it is a
   * hostile answer like any other: refused, the key removed, the request abandoned — once.
   */
  @ParameterizedTest(name = "journaled answer: {0}")
  @CsvSource(delimiter = '|', value = {
      "unreadable JSON|[{\"Pkcs7\": ",
      "nested ASN.1|NESTED",
      "not items|[\"a\", 1, null]"})
  void aJournaledAnswerThatCannotBeRead_isAbandonedOnResume_notRetriedForever(String name, String answer)
      throws Exception {
    Set<EnrollmentId> before = enrollmentIds();
    Process child = ChildProcess.start(Map.of("TOKENROLL_DEBUG_HALT", "NEED_INSTALL"),
        stack.enrollArgs("Smart Card Logon"));
    ChildProcess.awaitLine(child, "halted at NEED_INSTALL", 120);
    ChildProcess.kill(child);
    Enrollment killed = journal().all().stream().filter(e -> !before.contains(e.id)).findFirst().orElseThrow();
    killed.answer = answer.equals("NESTED")
        ? "[{\"isPkcs7\": true, \"Pkcs7\": \"" + Forge.b64(Forge.nestedSequences(5000)) + "\"}]" : answer;
    journal().store(killed);
    Cli resumed = stack.cli("resume", killed.id.value());
    assertNotEquals(0, resumed.exitCode(), resumed.toString());
    assertEquals(EnrollmentState.ABANDONED, journal().get(killed.id).orElseThrow().state, resumed.toString());
    Cli again = stack.cli("resume", killed.id.value());
    assertTrue(again.toString().contains("already ABANDONED"), again.toString());
    assertNoOrphanKeys();
    assertServerRequestsSettled();
  }

  /** Killed while parked for approval: once approved, resume completes it. */
  @Test
  void killedWhilePendingApproval_thenApproved_resumeCompletes() throws Exception {
    Set<EnrollmentId> before = enrollmentIds();
    Process child = ChildProcess.start(Map.of("TOKENROLL_DEBUG_HALT", "PENDING_APPROVAL"),
        stack.enrollArgs("Smart Card Logon with Approval"));
    ChildProcess.awaitLine(child, "halted at PENDING_APPROVAL", 120);
    ChildProcess.kill(child);
    Enrollment killed = journal().all().stream().filter(e -> !before.contains(e.id)).findFirst().orElseThrow();
    stack.server.admin().approveRequest(killed.requestId);
    Cli resumed = stack.cli("resume", killed.id.value());
    assertEquals(EnrollmentState.COMPLETED, journal().get(killed.id).orElseThrow().state, resumed.toString());
    assertNoOrphanKeys();
    assertNoDuplicateCertificates();
    assertServerRequestsSettled();
  }

  /** A renewal killed at each point: resumed, the card holds the new key and certificate and nothing old. */
  @ParameterizedTest(name = "renewal killed at {0}")
  @CsvSource({"NEED_KEYS", "GENERATING_KEY:done", "SUBMITTING", "NEED_INSTALL", "INSTALLING", "INSTALLING:done",
      "NEED_COMPLETE"})
  void renewalKilled_thenResumed_swapsTheKeyOnce(String point) throws Exception {
    try (Stack s = new Stack("crash-renew")) {
      Cli first = s.enroll("Smart Card Logon", "--json");
      assertEquals(0, first.exitCode(), first.toString());
      String firstId = Forge.JSON.readTree(first.out()).get("id").asText();
      KeyId oldKey = s.objects(ObjectClass.PRIVATE_KEY).get(0).id();
      Process child = ChildProcess.start(Map.of("TOKENROLL_DEBUG_HALT", point),
          List.of("renew", firstId, "--state-dir", s.state.toString()));
      ChildProcess.awaitLine(child, "halted at " + point, 120);
      ChildProcess.kill(child);
      FileJournal journal = new FileJournal(s.state.resolve("enrollments"));
      Enrollment renewal = journal.all().stream().filter(e -> !e.id.value().equals(firstId)).findFirst().orElseThrow();
      Cli resumed = s.cli("resume", renewal.id.value());
      assertEquals(0, resumed.exitCode(), resumed.toString());
      List<TokenObject> keys = s.objects(ObjectClass.PRIVATE_KEY);
      assertEquals(1, keys.size(), "one signing key after the swap: " + keys);
      assertNotEquals(oldKey, keys.get(0).id(), "the new key");
      assertEquals(1, s.objects(ObjectClass.CERTIFICATE).stream()
          .filter(c -> c.category() == CertificateCategory.USER).count());
      assertEquals(renewal.id, journal.find(firstId).orElseThrow().supersededBy);
    }
  }

  private FileJournal journal() throws Exception {
    return new FileJournal(stack.state.resolve("enrollments"));
  }

  private Set<EnrollmentId> enrollmentIds() throws Exception {
    return journal().all().stream().map(e -> e.id).collect(Collectors.toSet());
  }

  /** Every private key on the token belongs to a completed enrollment. */
  private void assertNoOrphanKeys() throws Exception {
    Set<String> owned = new HashSet<>();
    for (Enrollment e : journal().all()) {
      if (e.state == EnrollmentState.COMPLETED) {
        owned.addAll(e.installedKeyIds);
      }
    }
    for (TokenObject key : stack.objects(ObjectClass.PRIVATE_KEY)) {
      assertTrue(owned.contains(key.id().hex()), "orphan key " + key.id() + " ('" + key.label() + "') on the token");
    }
  }

  private void assertNoDuplicateCertificates() throws Exception {
    List<TokenObject> leaves = stack.objects(ObjectClass.CERTIFICATE).stream()
        .filter(c -> c.category() == CertificateCategory.USER).toList();
    Set<KeyId> ids = new HashSet<>();
    for (TokenObject leaf : leaves) {
      assertTrue(ids.add(leaf.id()), "two certificates for key " + leaf.id());
    }
    Set<String> serials = new HashSet<>();
    for (TokenObject c : stack.objects(ObjectClass.CERTIFICATE)) {
      assertTrue(serials.add(c.certificate().getSerialNumber().toString(16)), "certificate stored twice: "
          + c.certificate().getSubjectX500Principal());
    }
  }

  private void assertServerRequestsSettled() {
    for (var r : stack.server.admin().requests()) {
      assertTrue(r.status().equals("Completed") || r.status().equals("Abandoned"),
          "request " + r.uuid() + " is left " + r.status());
    }
  }
}
