package io.tokenroll.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 11's insertion latency: from the moment the agent's PC/SC watcher sees a card (its JSON log line's time) to
 * the first PKCS#11 call of the rule that card triggers (C_Initialize of the rule's module, timed by the forwarding
 * module in front of SoftHSM2 with the same wall clock), over 20 insertions of the vicc virtual card into the vpcd
 * reader under pcscd. The agent runs as a child process with its production JVM settings and a one-hour scan
 * interval, so only card events start rounds. Runs only with -Dbenchmark=true; writes
 * target/benchmarks/card-insertion.md.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class CardInsertionBenchmark {
  private static final int INSERTIONS = 20;

  @Test
  void insertionToFirstPkcs11Call() throws Exception {
    try (VirtualCard reader = VirtualCard.start(); Stack s = new Stack("insertion-bench")) {
      TestToken token = s.token;
      Path trace = s.dir.resolve("c_initialize.trace");
      Path cfg = Files.writeString(s.dir.resolve("agent.json"), """
          {"server": {"url": "%s", "trust": "%s",
                      "login": {"method": "basic", "user": "%s", "secretSource": "file:%s"}},
           "scanInterval": "PT1H", "pollInterval": "PT1S", "pollCeiling": "PT5S",
           "rules": [{"name": "card", "module": "%s", "match": "pkcs11:token=%s", "template": "Smart Card Logon EC",
                      "pinSource": "file:%s", "atr": "%s"}]}
          """.formatted(s.server.baseUri(), s.trust, s.user, s.password, ForwardingModule.library(), token.label(),
          token.userPinFile(), VirtualCard.ATR));
      Map<String, String> env = new HashMap<>(token.environment());
      env.put("TOKENROLL_P11_TARGET", SoftHsm2.LIBRARY.toString());
      env.put("TOKENROLL_P11_TRACE", trace.toString());
      Process agent = ChildProcess.start(env, List.of("@" + Path.of("../dist/src/deb/agent.jvm.options")
          .toAbsolutePath().normalize()), List.of("agent", "--config", cfg.toString(), "--log-format", "json",
          "--state-dir", s.state.toString()));
      BlockingQueue<Instant> seen = new LinkedBlockingQueue<>();
      ObjectMapper json = new ObjectMapper();
      Thread reading = new Thread(() -> {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(agent.getErrorStream()))) {
          for (String line; (line = err.readLine()) != null; ) {
            if (line.startsWith("{") && line.contains("PC/SC: card " + VirtualCard.ATR + " in")) {
              seen.add(Instant.parse(json.readTree(line).get("time").asText()));
            }
          }
        } catch (Exception e) {
          // the agent ended
        }
      }, "agent-log");
      reading.start();
      List<Double> millis = new ArrayList<>();
      try {
        Thread.sleep(2000); // started
        for (int i = 0; i < INSERTIONS; i++) {
          long before = Files.exists(trace) ? Files.readAllLines(trace).size() : 0;
          reader.insert();
          Instant event = seen.poll(30, TimeUnit.SECONDS);
          if (event == null) {
            throw new AssertionError("insertion " + i + " not seen");
          }
          List<String> lines = List.of();
          for (int w = 0; w < 300 && lines.size() <= before; w++) {
            Thread.sleep(10);
            lines = Files.exists(trace) ? Files.readAllLines(trace) : List.of();
          }
          long initNanos = Long.parseLong(lines.get((int) before).strip());
          Instant init = Instant.ofEpochSecond(0, initNanos);
          millis.add((init.toEpochMilli() - event.toEpochMilli()) + (init.getNano() % 1_000_000
              - event.getNano() % 1_000_000) / 1e6);
          Thread.sleep(i == 0 ? 5000 : 300); // the first insertion enrolls the token; let it finish
          reader.remove();
          Thread.sleep(800); // the removal is seen before the next insertion
        }
      } finally {
        agent.destroy();
        agent.waitFor(60, TimeUnit.SECONDS);
      }
      List<Double> sorted = millis.stream().sorted().toList();
      String report = "# Card insertion to the rule's first PKCS#11 call\n\n" + INSERTIONS + " insertions; ms: "
          + millis.stream().map(m -> String.format("%.1f", m)).toList() + "\n\nmedian "
          + String.format("%.1f", (sorted.get(9) + sorted.get(10)) / 2) + " ms, min "
          + String.format("%.1f", sorted.get(0)) + " ms, max " + String.format("%.1f", sorted.get(19)) + " ms\n";
      Files.createDirectories(Path.of("target/benchmarks"));
      Files.writeString(Path.of("target/benchmarks/card-insertion.md"), report);
      System.out.println(report);
    }
  }
}
