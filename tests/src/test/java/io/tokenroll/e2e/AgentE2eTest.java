package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.daemon.Agent;
import io.tokenroll.agent.daemon.AgentConfig;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tokenroll agent} against a real cmserver and real SoftHSM2 tokens: a rule's token is enrolled, left alone
 * while its certificate is current, renewed once due; a request waiting for approval is finished once approved; a
 * token made while the agent runs is enrolled without a restart.
 */
class AgentE2eTest {
  private static Stack stack;

  @BeforeAll
  static void server() throws Exception {
    stack = new Stack("agent");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /** A configuration with one rule for the token labelled {@code label}. */
  private static Path config(Stack s, String label, Path pin, String template, String extra) throws Exception {
    String json = """
        {"server": {"url": "%s", "trust": "%s",
                    "login": {"method": "basic", "user": "%s", "secretSource": "file:%s"}},
         "scanInterval": "PT0.2S", "pollInterval": "PT0.2S", "pollCeiling": "PT1S",
         "rules": [{"name": "logon", "module": "%s", "match": "pkcs11:token=%s", "template": "%s",
                    "pinSource": "file:%s" %s}]}
        """.formatted(s.server.baseUri(), s.trust, s.user, s.password, SoftHsm2.LIBRARY, label, template, pin,
        extra);
    return Files.writeString(s.dir.resolve("agent-" + label + ".json"), json);
  }

  private static List<Enrollment> journal(Stack s) throws Exception {
    return new FileJournal(s.state.resolve("enrollments")).all();
  }

  @Test
  void once_enrollsTheRulesToken_leavesItAloneWhileCurrent_andRenewsItWhenDue() throws Exception {
    try (Stack s = stack.fresh("agent-once")) {
      Path cfg = config(s, s.token.label(), s.token.userPinFile(), "Smart Card Logon EC", "");
      Cli first = s.cli("agent", "--config", cfg.toString(), "--once");
      assertEquals(0, first.exitCode(), first.toString());
      assertTrue(first.err().contains("enrolled → enrollment") && first.err().contains("COMPLETED"), first.toString());
      assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size());
      var oldKey = s.objects(ObjectClass.PRIVATE_KEY).get(0).id();

      Cli second = s.cli("agent", "--config", cfg.toString(), "--once");
      assertEquals(0, second.exitCode(), second.toString());
      assertEquals("", second.err().strip(), "nothing to do while the certificate is current");
      assertEquals(1, journal(s).size());

      // 300 days on, past the journaled renewal time (80% of a year)
      Agent later = new Agent(AgentConfig.read(cfg), new FileJournal(s.state.resolve("enrollments")), s.state,
          m -> { }, Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(300)));
      Agent.Round third = later.runOnce();
      assertEquals(0, third.failures(), third.actions().toString());
      assertTrue(third.actions().get(0).contains("renewed → enrollment"), third.actions().toString());
      Enrollment renewal = journal(s).stream().filter(e -> e.workflow == io.tokenroll.agent.enroll.Workflow.RENEW)
          .findFirst().orElseThrow();
      assertEquals(EnrollmentState.COMPLETED, renewal.state);
      var keys = s.objects(ObjectClass.PRIVATE_KEY);
      assertEquals(1, keys.size(), "the new key replaced the old");
      assertNotEquals(oldKey, keys.get(0).id());
    }
  }

  /**
   * A journal written before certificate dates were kept: the agent reads the certificate from the token, journals
   * its dates and renewal time, and renews once that time has come.
   */
  @Test
  void anOldJournalWithoutDates_isDatedFromTheToken_thenRenewedWhenDue() throws Exception {
    try (Stack s = stack.fresh("agent-undated")) {
      Path cfg = config(s, s.token.label(), s.token.userPinFile(), "Smart Card Logon EC", "");
      assertEquals(0, s.cli("agent", "--config", cfg.toString(), "--once").exitCode());
      Enrollment enrolled = journal(s).get(0);
      Path file = s.state.resolve("enrollments").resolve(enrolled.id + ".json");
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(file.toFile());
      node.remove("renewAfter");
      node.get("outcomes").forEach(o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o)
          .remove(List.of("notBefore", "notAfter")));
      Files.write(file, json.writeValueAsBytes(node));

      Agent later = new Agent(AgentConfig.read(cfg), new FileJournal(s.state.resolve("enrollments")), s.state,
          m -> { }, Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(300)));
      Agent.Round dating = later.runOnce();
      assertTrue(dating.actions().get(0).contains("dated from its certificates on the token"),
          dating.actions().toString());
      Enrollment dated = journal(s).get(0);
      assertEquals(enrolled.renewAfter, dated.renewAfter, "the same renewal time as journaled at installation");
      assertEquals(enrolled.outcomes.get(0).notAfter, dated.outcomes.get(0).notAfter);
      Agent.Round renewing = later.runOnce();
      assertTrue(renewing.actions().get(0).contains("renewed → enrollment"), renewing.actions().toString());
    }
  }

  @Test
  void jsonLogLines_carryTheEnrollmentId() throws Exception {
    try (Stack s = stack.fresh("agent-json")) {
      Path cfg = config(s, s.token.label(), s.token.userPinFile(), "Smart Card Logon EC", "");
      Cli run = s.cli("agent", "--config", cfg.toString(), "--once", "--log-format", "json");
      assertEquals(0, run.exitCode(), run.toString());
      String id = journal(s).get(0).id.value();
      var line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.err().lines()
          .filter(l -> l.contains("enrolled")).findFirst().orElseThrow());
      assertEquals(id, line.get("enrollment").asText());
      assertEquals("logon", line.get("rule").asText());
      assertEquals(s.token.label(), line.get("token").asText());
      assertTrue(line.get("message").asText().contains("COMPLETED"), line.toString());
    }
  }

  @Test
  void aPendingRequest_isFinishedOnceApproved() throws Exception {
    try (Stack s = stack.fresh("agent-approval")) {
      Path cfg = config(s, s.token.label(), s.token.userPinFile(), "Smart Card Logon with Approval", "");
      Cli first = s.cli("agent", "--config", cfg.toString(), "--once");
      assertTrue(first.err().contains("PENDING_APPROVAL"), first.toString());
      Enrollment e = journal(s).get(0);
      assertEquals(io.tokenroll.agent.enroll.Waiting.APPROVAL, e.waiting, "journaled as waiting for approval");
      s.server.admin().approveRequest(e.requestId);
      Cli second = s.cli("agent", "--config", cfg.toString(), "--once");
      assertTrue(second.err().contains("resumed → enrollment " + e.id + " COMPLETED"), second.toString());
      assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size());
    }
  }

  /**
   * A server that drops every connection for three seconds: the agent backs off (a few requests, not thousands —
   * the count is of requests that reached the server), then enrolls once the server answers again.
   */
  @Test
  void aServerDown_isBackedOffFrom_thenTheTokenIsEnrolled() throws Exception {
    try (Stack s = new Stack("agent-outage")) {
      AgentConfig cfg = AgentConfig.read(config(s, s.token.label(), s.token.userPinFile(), "Smart Card Logon EC",
          ""));
      s.server.faults().dropConnection("*", ".*", 100_000);
      Agent agent = new Agent(cfg, new FileJournal(s.state.resolve("enrollments")), s.state, m -> { },
          Clock.systemUTC());
      try (RunningAgent running = RunningAgent.start(agent, "agent-outage")) {
        Thread.sleep(3000);
        int requests = 100_000 - s.server.faults().remaining();
        assertTrue(requests >= 2 && requests <= 15, "backed off: " + requests + " requests in 3 s");
        s.server.faults().clear();
        Optional<Enrollment> done = Optional.empty();
        for (int i = 0; i < 300 && done.isEmpty(); i++) {
          Thread.sleep(100);
          done = journal(s).stream().filter(e -> e.state == EnrollmentState.COMPLETED).findFirst();
        }
        assertTrue(done.isPresent(), "enrolled once the server was back");
      }
    }
  }

  /** A PIN the token refuses is tried once, never again by the agent: cards lock after a few wrong tries. */
  @Test
  void aWrongPin_isTriedOnce_andNotEveryRound() throws Exception {
    try (Stack s = stack.fresh("agent-wrong-pin")) {
      Path wrong = Backends.writeSecret(s.dir.resolve("wrong.pin"), "000000");
      Agent agent = new Agent(AgentConfig.read(config(s, s.token.label(), wrong, "Smart Card Logon EC", "")),
          new FileJournal(s.state.resolve("enrollments")), s.state, m -> { }, Clock.systemUTC());
      Agent.Round first = agent.runOnce();
      assertTrue(first.actions().toString().contains("wrong PIN"), first.actions().toString());
      Agent.Round second = agent.runOnce();
      assertFalse(second.actions().toString().contains("wrong PIN"), "not tried again: " + second.actions());
      assertTrue(second.actions().toString().contains("waits for a PIN"), "said once: " + second.actions());
      assertEquals(List.of(1, 1), List.of(first.failures(), second.failures()),
          "a failure of each round (an --once run from cron exits 1) until a person gives a PIN");
      for (int i = 0; i < 2; i++) {
        assertEquals(List.of(), agent.runOnce().actions(), "not tried again, not said again");
      }
      // journaled with the refusal: another agent process (an --once run from cron) does not try it either
      assertTrue(journal(s).size() == 1 && journal(s).get(0).pinRefused, journal(s).toString());
      Agent cron = new Agent(AgentConfig.read(config(s, s.token.label(), wrong, "Smart Card Logon EC", "")),
          new FileJournal(s.state.resolve("enrollments")), s.state, m -> { }, Clock.systemUTC());
      assertFalse(cron.runOnce().actions().toString().contains("wrong PIN"), "a new process does not try it");
    }
  }

  @Test
  void aTokenMadeWhileTheAgentRuns_isEnrolledWithoutARestart() throws Exception {
    try (Stack s = stack.fresh("agent-running")) {
      String label = "agent-new-" + Backends.randomHex(4);
      Path pin = Backends.pinFile(s.dir, "new.pin", 6);
      AgentConfig cfg = AgentConfig.read(config(s, label, pin, "Smart Card Logon EC", ""));
      List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      Agent agent = new Agent(cfg, new FileJournal(s.state.resolve("enrollments")), s.state,
          l -> log.add(l.text()), Clock.systemUTC());
      RunningAgent running = RunningAgent.start(agent, "agent-under-test");
      try (running) {
        Thread.sleep(600); // a few rounds with nothing to do
        assertTrue(journal(s).isEmpty(), "no token yet, nothing done: " + log);
        TestToken fresh = SoftHsm2.get().newLabelledToken(label, pin);
        Optional<Enrollment> done = Optional.empty();
        for (int i = 0; i < 300 && done.isEmpty(); i++) {
          Thread.sleep(100);
          done = journal(s).stream().filter(e -> e.state == EnrollmentState.COMPLETED).findFirst();
        }
        assertTrue(done.isPresent(), "enrolled while running: " + log);
        assertEquals(label, done.get().token.label());
        try (var session = fresh.open()) {
          assertEquals(1, session.find(io.tokenroll.pkcs11.ObjectQuery.all()).stream()
              .filter(o -> o.objectClass() == ObjectClass.PRIVATE_KEY).count());
        }
      }
      assertFalse(running.isAlive(), "stopped on request");
    }
  }

  /**
   * A rule whose module is missing: each round counts it as a failure (an --once run exits 1), but the log says it
   * once, not every scan.
   */
  @Test
  void aRuleWhoseModuleIsMissing_failsEachRound_andIsSaidOnce() throws Exception {
    try (Stack s = stack.fresh("agent-no-module")) {
      Path cfg = config(s, s.token.label(), s.token.userPinFile(), "Smart Card Logon EC", "");
      Files.writeString(cfg, Files.readString(cfg).replace(SoftHsm2.LIBRARY.toString(),
          s.dir.resolve("libmissing-pkcs11.so").toString()));
      List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      Agent agent = new Agent(AgentConfig.read(cfg), new FileJournal(s.state.resolve("enrollments")), s.state,
          l -> log.add(l.text()), Clock.systemUTC());
      for (int i = 0; i < 3; i++) {
        assertEquals(1, agent.runOnce().failures(), "round " + i + ": " + log);
      }
      assertEquals(1, log.stream().filter(l -> l.contains("cannot list the tokens")).count(), log.toString());
      assertTrue(journal(s).isEmpty());
    }
  }

  /**
   * A journal file the agent cannot read may be the enrollment of a rule's token: no enrollment starts while it is
   * there (said once, each round a failure); once it is removed, the token is enrolled.
   */
  @Test
  void anUnreadableJournalFile_holdsNewEnrollments_untilRemoved() throws Exception {
    try (Stack s = stack.fresh("agent-unreadable")) {
      Path cfg = config(s, s.token.label(), s.token.userPinFile(), "Smart Card Logon EC", "");
      List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      FileJournal journal = new FileJournal(s.state.resolve("enrollments"));
      Path broken = Files.writeString(s.state.resolve("enrollments").resolve("20261205T000000-0badf11e.json"),
          "{\"id\": \"20261205T000000-0badf11e\", \"state\": \"NEW\", \"keys\": null}");
      Agent agent = new Agent(AgentConfig.read(cfg), journal, s.state, l -> log.add(l.text()), Clock.systemUTC());
      for (int i = 0; i < 2; i++) {
        assertEquals(1, agent.runOnce().failures(), log.toString());
      }
      assertTrue(journal.all().isEmpty(), "nothing started: " + log);
      assertEquals(1, log.stream().filter(l -> l.contains("0badf11e") && l.contains("no new enrollment starts"))
          .count(), log.toString());
      Files.delete(broken);
      Agent.Round round = agent.runOnce();
      assertEquals(0, round.failures(), log.toString());
      assertEquals(EnrollmentState.COMPLETED, journal.all().get(0).state, log.toString());
    }
  }
}
