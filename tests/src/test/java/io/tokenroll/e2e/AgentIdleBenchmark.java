package io.tokenroll.e2e;

import io.tokenroll.pkcs11.testing.SoftHsm2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 11's idle figure: two agents side by side — the JVM's defaults and the agent's own settings
 * ({@code dist/src/deb/agent.jvm.options}) — each with one rule whose token is present and enrolled, so every
 * 5 s round loads the module, lists the token, reads the journal and finds nothing due. After 15 s of settling,
 * over {@code bench.idle.seconds} (600 by default): resident memory, CPU ticks ({@code utime+stime} of
 * {@code /proc/PID/stat}) and wake-ups (the voluntary context switches of every thread, from
 * {@code /proc/PID/task/T/status}: a thread that wakes and sleeps again switches once). Runs only with
 * -Dbenchmark=true; writes target/benchmarks/agent-idle.md.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class AgentIdleBenchmark {
  private record Sample(long rssKb, long ticks, long voluntary, long involuntary, int threads,
                        java.util.Map<String, Long> byThread) {
    static Sample of(long pid) throws IOException {
      Path proc = Path.of("/proc", Long.toString(pid));
      long rss = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("VmRSS:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
      String stat = Files.readString(proc.resolve("stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15, counted from the state
      long voluntary = 0;
      long involuntary = 0;
      int threads = 0;
      java.util.Map<String, Long> byThread = new java.util.TreeMap<>();
      try (var tasks = Files.list(proc.resolve("task"))) {
        for (Path t : tasks.toList()) {
          try {
            for (String l : Files.readAllLines(t.resolve("status"))) {
              if (l.startsWith("voluntary_ctxt_switches:")) {
                long n = Long.parseLong(l.replaceAll("\\D", ""));
                voluntary += n;
                byThread.merge(Files.readString(t.resolve("comm")).strip(), n, Long::sum);
              } else if (l.startsWith("nonvoluntary_ctxt_switches:")) {
                involuntary += Long.parseLong(l.replaceAll("\\D", ""));
              }
            }
            threads++;
          } catch (IOException ended) {
            // a thread that ended between the listing and the read
          }
        }
      }
      return new Sample(rss, ticks, voluntary, involuntary, threads, byThread);
    }
  }

  @Test
  void idleAgent() throws Exception {
    int seconds = Integer.getInteger("bench.idle.seconds", 600);
    StringBuilder table = new StringBuilder(String.format("| JVM settings | resident memory | CPU ticks over %d s "
        + "| wake-ups over %d s (per minute) | involuntary switches | threads |%n|---|---|---|---|---|---|%n",
        seconds, seconds));
    try (Stack s = new Stack("idle-bench")) {
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
      Path options = Path.of("../dist/src/deb/agent.jvm.options").toAbsolutePath().normalize();
      List<String> names = List.of("the JVM's defaults (G1, heap from the machine's memory)",
          "`agent.jvm.options`");
      List<Process> agents = new ArrayList<>();
      for (List<String> jvm : List.of(List.<String>of(), List.of("@" + options))) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", ChildProcess.JAR.toString(), "agent", "--config", cfg.toString(),
            "--state-dir", s.state.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(s.dir.resolve("agent-" + agents.size() + ".log").toFile());
        pb.environment().putAll(s.token.environment());
        agents.add(pb.start());
      }
      StringBuilder breakdown = new StringBuilder("\nWake-ups by thread:\n");
      try {
        Thread.sleep(15_000);
        List<Sample> before = new ArrayList<>();
        for (Process p : agents) {
          before.add(Sample.of(p.pid()));
        }
        Thread.sleep(seconds * 1000L);
        for (int n = 0; n < agents.size(); n++) {
          int i = n;
          if (!agents.get(i).isAlive()) {
            throw new AssertionError("agent " + i + " ended: " + Files.readString(s.dir.resolve("agent-" + i
                + ".log")));
          }
          Sample after = Sample.of(agents.get(i).pid());
          long wakeups = after.voluntary() - before.get(i).voluntary();
          table.append(String.format("| %s | %.1f MB | %d (%.2f%% of a core) | %d (%.0f) | %d | %d |%n", names.get(i),
              after.rssKb() / 1024.0, after.ticks() - before.get(i).ticks(),
              (after.ticks() - before.get(i).ticks()) / (double) seconds, wakeups, wakeups * 60.0 / seconds,
              after.involuntary() - before.get(i).involuntary(), after.threads()));
          StringBuilder who = new StringBuilder();
          after.byThread().forEach((name, count) -> {
            long d = count - before.get(i).byThread().getOrDefault(name, 0L);
            if (d > 0) {
              who.append(name).append(' ').append(d).append(", ");
            }
          });
          breakdown.append("- ").append(names.get(i)).append(": ").append(who).append('\n');
        }
        table.append(breakdown);
      } finally {
        agents.forEach(Process::destroy);
      }
    }
    Path out = Path.of("target/benchmarks/agent-idle.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString());
    System.out.println(table);
  }
}
