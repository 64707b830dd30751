package io.tokenroll.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenroll.agent.daemon.Agent;
import io.tokenroll.agent.daemon.AgentConfig;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.agent.journal.PrivateFiles;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 11's scaling figure: the agent's start-up (a new agent's first round) and each later round — the work of a
 * wake-up with nothing due: read the journal, look at the rule's token, decide — with 10, 100 and 1,000 journaled
 * enrollments. One real enrollment on a SoftHSM2 token against cmserver is cloned onto absent tokens (four in five
 * completed, one in five waiting for approval), so every entry is a real one's shape. In process, warm after the
 * first size; rounds are timed one by one. Runs only with -Dbenchmark=true; writes
 * target/benchmarks/agent-scheduling.md.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class AgentSchedulingBenchmark {
  private static final int ROUNDS = 50;

  @Test
  void roundsStayFlat() throws Exception {
    StringBuilder table = new StringBuilder("| journaled enrollments | start-up: first round (ms) | later round, median "
        + "(ms) | p90 (ms) | round after a store, median (ms) |\n|---|---|---|---|---|\n");
    try (Stack s = new Stack("sched-bench")) {
      Path cfg = Files.writeString(s.dir.resolve("agent.json"), """
          {"server": {"url": "%s", "trust": "%s",
                      "login": {"method": "basic", "user": "%s", "secretSource": "file:%s"}},
           "rules": [{"name": "logon", "module": "%s", "match": "pkcs11:token=%s", "template": "Smart Card Logon EC",
                      "pinSource": "file:%s"}]}
          """.formatted(s.server.baseUri(), s.trust, s.user, s.password, SoftHsm2.LIBRARY, s.token.label(),
          s.token.userPinFile()));
      Cli enrolled = s.cli("agent", "--config", cfg.toString(), "--once");
      if (enrolled.exitCode() != 0) {
        throw new AssertionError(enrolled.toString());
      }
      Path real = Files.list(s.state.resolve("enrollments")).filter(p -> p.toString().endsWith(".json"))
          .findFirst().orElseThrow();
      ObjectMapper json = new ObjectMapper();
      ObjectNode original = (ObjectNode) json.readTree(real.toFile());
      AgentConfig config = AgentConfig.read(cfg);
      for (int size : new int[] {10, 100, 1000}) {
        Path state = Backends.privateDirectory("tokenroll-sched-");
        Path dir = state.resolve("enrollments");
        new FileJournal(dir);
        Files.copy(real, dir.resolve(real.getFileName()));
        for (int i = 1; i < size; i++) {
          ObjectNode clone = original.deepCopy();
          String id = String.format("%s-%05d", original.get("id").asText().substring(0, 20), i);
          clone.put("id", id);
          ((ObjectNode) clone.get("token")).put("label", "fleet-" + i);
          if (i % 5 == 0) {
            clone.put("state", "PENDING_APPROVAL");
            clone.put("waiting", "APPROVAL");
          }
          PrivateFiles.replace(dir.resolve(id + ".json"), dir.resolve(id + ".json.tmp"),
              json.writeValueAsBytes(clone));
        }
        // a journal written earlier, as an agent's restart finds it (files of the last seconds are read each round)
        java.nio.file.attribute.FileTime earlier = java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minusSeconds(3600));
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.setLastModifiedTime(f, earlier);
          }
        }
        Files.setLastModifiedTime(dir, earlier);
        long start = System.nanoTime();
        Agent agent = new Agent(config, new FileJournal(dir), state, m -> { }, Clock.systemUTC());
        Agent.Round first = agent.runOnce();
        double startup = (System.nanoTime() - start) / 1e6;
        if (first.failures() != 0 || !first.actions().isEmpty()) {
          throw new AssertionError("nothing is due, yet: " + first);
        }
        List<Double> rounds = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
          long t = System.nanoTime();
          agent.runOnce();
          rounds.add((System.nanoTime() - t) / 1e6);
        }
        rounds.sort(Double::compare);
        // a round after something was stored: every file's attributes are looked at (the changed one parsed)
        List<Double> looks = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
          Files.setLastModifiedTime(dir, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
          long t = System.nanoTime();
          agent.runOnce();
          looks.add((System.nanoTime() - t) / 1e6);
        }
        looks.sort(Double::compare);
        table.append(String.format("| %,d | %.1f | %.2f | %.2f | %.2f |%n", size, startup, rounds.get(ROUNDS / 2),
            rounds.get(ROUNDS * 9 / 10), looks.get(ROUNDS / 2)));
        Backends.deleteRecursively(state);
      }
    }
    Path out = Path.of("target/benchmarks/agent-scheduling.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString());
    System.out.println(table);
  }
}
