package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent as systemd runs it — a child process — stopped with SIGTERM at moments chosen at random while it
 * enrolls three tokens, three times over, then started again until it has nothing left to do: every enrollment
 * completes, each token holds exactly one key and its certificate (no orphan, no duplicate), and every request on
 * the server is Completed. Each stop ends within seconds, the action in progress finished.
 */
class AgentStopE2eTest {
  @Test
  void sigtermAtRandomMoments_losesNothing() throws Exception {
    try (Stack s = new Stack("agent-stop")) {
      List<TestToken> tokens = List.of(SoftHsm2.get().newToken("stop-a"), SoftHsm2.get().newToken("stop-b"),
          SoftHsm2.get().newToken("stop-c"));
      StringBuilder rules = new StringBuilder();
      for (TestToken t : tokens) {
        rules.append(rules.length() == 0 ? "" : ",").append("""
            {"name": "%s", "module": "%s", "match": "pkcs11:token=%s", "template": "Smart Card Logon",
             "pinSource": "file:%s"}""".formatted(t.label(), SoftHsm2.LIBRARY, t.label(), t.userPinFile()));
      }
      Path cfg = Files.writeString(s.dir.resolve("agent.json"), """
          {"server": {"url": "%s", "trust": "%s",
                      "login": {"method": "basic", "user": "%s", "secretSource": "file:%s"}},
           "scanInterval": "PT0.2S", "pollInterval": "PT0.2S", "pollCeiling": "PT1S", "rules": [%s]}
          """.formatted(s.server.baseUri(), s.trust, s.user, s.password, rules));
      List<String> args = List.of("agent", "--config", cfg.toString(), "--state-dir", s.state.toString());
      Map<String, String> env = tokens.get(0).environment();
      Random random = new Random(42);
      List<Long> stopMillis = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        // with the JVM settings the launchers give the agent
        Process agent = ChildProcess.start(env, List.of("@" + Path.of("../dist/src/deb/agent.jvm.options")
            .toAbsolutePath().normalize()), args);
        Thread.sleep(300 + random.nextInt(1200));
        long t0 = System.nanoTime();
        agent.destroy(); // SIGTERM
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "stopped on SIGTERM");
        stopMillis.add((System.nanoTime() - t0) / 1_000_000);
        int code = agent.exitValue();
        assertTrue(code == 143 || code == 0, "a clean stop, not a crash: " + code);
      }
      System.out.println("agent stop times (ms): " + stopMillis);
      for (int i = 0; i < 5 && !allCompleted(s, tokens.size()); i++) {
        Cli once = ChildProcess.run(env, List.of("@" + Path.of("../dist/src/deb/agent.jvm.options").toAbsolutePath()
            .normalize()), List.of("agent", "--config", cfg.toString(), "--once", "--state-dir", s.state.toString()));
        assertTrue(once.exitCode() == 0 || once.exitCode() == 1, once.toString());
      }
      assertTrue(allCompleted(s, tokens.size()), "every token enrolled: " + journal(s));
      for (TestToken t : tokens) {
        try (var session = t.open()) {
          var objects = session.find(io.tokenroll.pkcs11.ObjectQuery.all());
          assertEquals(1, objects.stream().filter(o -> o.objectClass() == ObjectClass.PRIVATE_KEY).count(),
              t.label() + ": one key, no orphan: " + objects);
        }
      }
      for (var r : s.server.admin().requests()) {
        assertTrue(r.status().equals("Completed") || r.status().equals("Abandoned"), r.toString());
      }
      assertEquals(tokens.size(), s.server.admin().requests().stream()
          .filter(r -> r.status().equals("Completed")).count(), "one completed request per token");
    }
  }

  private static List<Enrollment> journal(Stack s) throws Exception {
    return new FileJournal(s.state.resolve("enrollments")).all();
  }

  private static boolean allCompleted(Stack s, int n) throws Exception {
    return journal(s).stream().filter(e -> e.state == EnrollmentState.COMPLETED).count() == n
        && journal(s).stream().allMatch(e -> e.state.isFinal());
  }
}
