package io.tokenroll.e2e;

import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 12's throughput figures: {@code bench.cards} SoftHSM2 tokens (100 by default) provisioned by
 * {@code tokenroll provision} — a cold JVM included, as a helpdesk runs it — against the same number provisioned
 * by the shell pipeline a helpdesk would script with stock tools ({@code src/test/bench/helpdesk-pipeline.sh}:
 * curl, jq, pkcs11-tool, openssl with the pkcs11 engine), in one run, against one cmserver over HTTPS on loopback,
 * for the EC P-256 and the RSA-2048 template; and the server's own ceiling for the same requests (the flow's five
 * calls with a CSR made beforehand, from as many threads, no token). First, while the token store is small, one
 * card cold: the pipeline, {@code enroll} without and with the class-data archive, {@code --version} against
 * {@code java -version}. Runs only with -Dbenchmark=true; writes target/benchmarks/provision.md.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ProvisionBenchmark {
  private static final int COLD_RUNS = 7;

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }

  /** Wall seconds of a child process run to its end; fails if it fails. */
  private static double timed(ProcessBuilder pb, String input) throws Exception {
    long t0 = System.nanoTime();
    Process p = pb.redirectErrorStream(true).start();
    p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError(pb.command() + " failed: " + out);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * One EC card, cold: the pipeline (its template lookup included), {@code tokenroll enroll} with the launcher's
   * flags without and with the class-data archive the demo builds, and {@code --version} against a bare
   * {@code java -version}; medians of {@link #COLD_RUNS}, interleaved, each card a fresh token.
   */
  private static String coldStart() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path archive = Files.createTempDirectory("tokenroll-cds-").resolve("tokenroll.jsa");
    ProcessBuilder demo = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
        ChildProcess.JAR.toString(), "demo");
    demo.environment().put("TOKENROLL_CDS_ARCHIVE", archive.toString());
    timed(demo, "");
    List<String> flags = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");
    List<String> withArchive = new ArrayList<>(flags);
    withArchive.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    List<Double> pipeline = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    List<Double> mapped = new ArrayList<>();
    List<Double> version = new ArrayList<>();
    List<Double> versionMapped = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    try (Stack s = new Stack("cold-bench")) {
      Path pin = Backends.pinFile(s.dir, "cold.pin", 6);
      Map<String, String> env = Map.of("SOFTHSM2_CONF", SoftHsm2.get().config().toString());
      for (int i = 0; i < COLD_RUNS; i++) {
        String label = SoftHsm2.get().newLabelledToken("cold-sh-" + i, pin).label();
        ProcessBuilder shell = new ProcessBuilder("bash", Path.of("src/test/bench/helpdesk-pipeline.sh").toString(),
            s.server.baseUri().toString(), s.trust.toString(), s.user, s.password.toString(), "Smart Card Logon EC",
            SoftHsm2.LIBRARY.toString(), pin.toString(), "EC:prime256v1");
        shell.environment().putAll(env);
        pipeline.add(timed(shell, label + "\n"));
        for (List<String> jvm : List.of(flags, withArchive)) {
          String card = SoftHsm2.get().newLabelledToken("cold-tr-" + i + (jvm == flags ? "a" : "b"), pin).label();
          List<String> cmd = new ArrayList<>(List.of(java));
          cmd.addAll(jvm);
          cmd.addAll(List.of("-jar", ChildProcess.JAR.toString(), "enroll", "--server",
              s.server.baseUri().toString(), "--template", "Smart Card Logon EC", "--module",
              SoftHsm2.LIBRARY.toString(), "--token", card, "--pin-source", "file:" + pin, "--user", s.user,
              "--password-source", "file:" + s.password, "--trust", s.trust.toString(), "--state-dir",
              s.dir.resolve("state").toString()));
          ProcessBuilder enroll = new ProcessBuilder(cmd);
          enroll.environment().putAll(env);
          (jvm == flags ? plain : mapped).add(timed(enroll, ""));
        }
        List<String> v = new ArrayList<>(List.of(java));
        v.addAll(flags);
        v.addAll(List.of("-jar", ChildProcess.JAR.toString(), "--version"));
        version.add(timed(new ProcessBuilder(v), ""));
        List<String> vm = new ArrayList<>(List.of(java));
        vm.addAll(withArchive);
        vm.addAll(List.of("-jar", ChildProcess.JAR.toString(), "--version"));
        versionMapped.add(timed(new ProcessBuilder(vm), ""));
        bare.add(timed(new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-version"), ""));
      }
    }
    double p = median(pipeline);
    return String.format("%n| one EC card, cold (median of %d) | seconds | against the pipeline's card |%n"
        + "|---|---|---|%n| shell pipeline (template lookup included) | %.3f | 1 |%n"
        + "| `tokenroll enroll`, launcher flags | %.3f | %.2f× |%n"
        + "| `tokenroll enroll`, launcher flags + class-data archive | %.3f | **%.2f×** |%n"
        + "%n| start-up (median of %d) | seconds | against `java -version` |%n|---|---|---|%n"
        + "| `java -version` | %.3f | 1 |%n| `tokenroll --version` | %.3f | %.2f× |%n"
        + "| `tokenroll --version` + class-data archive | %.3f | %.2f× |%n",
        COLD_RUNS, p, median(plain), median(plain) / p, median(mapped), median(mapped) / p, COLD_RUNS,
        median(bare), median(version), median(version) / median(bare), median(versionMapped),
        median(versionMapped) / median(bare));
  }

  /**
   * CPU seconds since a mark: the whole machine's (from /proc/stat, all cores) and this JVM's, where cmserver runs;
   * during a provisioning run the difference is the provision process's (and the little else the machine does).
   */
  private record CpuMark(double machine, double server) {
    static CpuMark now() throws java.io.IOException {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
        busy += Long.parseLong(f[i]);
      }
      return new CpuMark(busy / 100.0, ((com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9);
    }

    /** Machine busy %, then ms of CPU per card for the provision process and for cmserver's JVM. */
    String since(double seconds, int cards) throws java.io.IOException {
      CpuMark end = now();
      double machine = end.machine - this.machine;
      double server = end.server - this.server;
      return String.format("%.0f %% | %.0f / %.0f", 100 * machine / (seconds * Runtime.getRuntime()
          .availableProcessors()), 1000 * (machine - server) / cards, 1000 * server / cards);
    }
  }

  /**
   * Cards a second cmserver answers when the client's share is as small as it gets: the flow's requests (create,
   * bind a card, generation options, certificatedata, complete) for {@code cards} cards from four threads over the
   * agent's own HTTP client, each with a CSR made beforehand by openssl — no token, no journal, no checks.
   */
  private static double serverCeiling(Stack s, String template, String keyType, int cards) throws Exception {
    Path key = s.dir.resolve("ceiling-" + keyType + ".der");
    List<String> req = new ArrayList<>(List.of("openssl", "req", "-new", "-nodes", "-subj", "/CN=ceiling",
        "-outform", "DER", "-out", key.toString(), "-keyout", s.dir.resolve("ceiling.key").toString()));
    req.addAll(keyType.equals("ec") ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
        : List.of("-newkey", "rsa:2048"));
    timed(new ProcessBuilder(req), "");
    String csr = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(key));
    var tls = io.tokenroll.agent.http.TlsSettings.verifying(io.tokenroll.agent.enroll.EnrollmentContext.anchors(
        s.trust.toString()));
    var cm = new io.tokenroll.agent.mimcm.MimCmClient(new io.tokenroll.agent.http.HttpTransport(
        s.server.baseUri(), tls, io.tokenroll.agent.login.ServerLogin.basic(s.user, "file:" + s.password).open(),
        io.tokenroll.agent.http.RetryPolicy.NONE, java.time.Duration.ofSeconds(60), 4 << 20));
    java.util.UUID uuid = cm.profileTemplate(template).orElseThrow().uuid();
    java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(cards);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    long t0 = System.nanoTime();
    List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      workers.add(pool.submit(() -> {
        while (left.getAndDecrement() > 0) {
          java.util.UUID rid = cm.createRequest(new io.tokenroll.agent.mimcm.Models.CreateRequest(uuid, List.of(),
              "Enroll", "", null));
          cm.bindSmartcard(rid, java.util.UUID.randomUUID().toString(), "3b00");
          cm.generationOptions(rid);
          cm.certificateData(rid, "", List.of(csr), null);
          cm.updateStatus(rid, "Completed");
        }
        return null;
      }));
    }
    for (var f : workers) {
      f.get();
    }
    pool.shutdown();
    return cards / ((System.nanoTime() - t0) / 1e9);
  }

  @Test
  void provisionAgainstTheShellPipeline() throws Exception {
    int cards = Integer.getInteger("bench.cards", 100);
    // first, while SoftHSM2's store holds few tokens (every process that loads it reads every token)
    String cold = Boolean.parseBoolean(System.getProperty("bench.cold", "true")) ? coldStart() : "";
    StringBuilder table = new StringBuilder(String.format("| template | cards | shell pipeline: s (cards/s) | "
        + "tokenroll provision: s (cards/s) | ratio | per card: pipeline / provision (ms) | "
        + "during provision: machine busy | CPU per card: provision / cmserver (ms) | "
        + "cmserver alone: cards/s |%n|---|---|---|---|---|---|---|---|---|%n"));
    try (Stack s = new Stack("provision-bench")) {
      Path pin = Backends.pinFile(s.dir, "fleet.pin", 6);
      Map<String, String> env = Map.of("SOFTHSM2_CONF", SoftHsm2.get().config().toString());
      for (String[] t : new String[][] {{"ec", "Smart Card Logon EC", "EC:prime256v1"},
          {"rsa", "Smart Card Logon", "RSA:2048"}}) {
        if (!System.getProperty("bench.templates", "ec,rsa").contains(t[0])) {
          continue;
        }
        List<String> shellCards = new ArrayList<>();
        for (int i = 1; i <= cards; i++) {
          shellCards.add(SoftHsm2.get().newLabelledToken(String.format("bench-sh-%s-%03d", t[0], i), pin).label());
          SoftHsm2.get().newLabelledToken(String.format("bench-tr-%s-%03d", t[0], i), pin);
        }
        double shellSeconds = Double.NaN;
        long t0 = System.nanoTime();
        if (Boolean.parseBoolean(System.getProperty("bench.shell", "true"))) {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("src/test/bench/helpdesk-pipeline.sh").toString(),
            s.server.baseUri().toString(), s.trust.toString(), s.user, s.password.toString(), t[1],
            SoftHsm2.LIBRARY.toString(), pin.toString(), t[2]).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process shell = pb.start();
        shell.getOutputStream().write((String.join("\n", shellCards) + "\n").getBytes(StandardCharsets.UTF_8));
        shell.getOutputStream().close();
        String shellOut = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!shell.waitFor(30, TimeUnit.MINUTES) || shell.exitValue() != 0
            || shellOut.lines().filter(l -> l.endsWith(" enrolled")).count() != cards) {
          throw new AssertionError("the pipeline failed: " + shellOut);
        }
        shellSeconds = (System.nanoTime() - t0) / 1e9;
        }

        t0 = System.nanoTime();
        CpuMark cpu = CpuMark.now();
        List<String> args = new ArrayList<>(List.of("provision", "--server", s.server.baseUri().toString(), "--template", t[1], "--module",
            SoftHsm2.LIBRARY.toString(), "--tokens", "bench-tr-" + t[0] + "-*", "--pin-source", "file:" + pin,
            "--user", s.user, "--password-source", "file:" + s.password, "--trust", s.trust.toString(),
            "--state-dir", s.dir.resolve("state-" + t[0]).toString()));
        if (System.getProperty("bench.parallel") != null) {
          args.addAll(List.of("--parallel", System.getProperty("bench.parallel")));
        }
        // bin/tokenroll's flags for provision (C1, the serial collector) unless the run names others
        List<String> jvm = List.of(System.getProperty("bench.jvm", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .split(" "));
        Cli provision = ChildProcess.run(env, jvm, args);
        double provisionSeconds = (System.nanoTime() - t0) / 1e9;
        String cpuShare = cpu.since(provisionSeconds, cards);
        if (provision.exitCode() != 0 || !provision.out().contains(cards + " token(s): " + cards + " enrolled")) {
          throw new AssertionError("provision failed: " + provision);
        }
        double ceiling = serverCeiling(s, t[1], t[0], cards);
        table.append(String.format("| %s | %d | %.1f (%.2f) | %.1f (%.2f) | **%.1f×** | %.0f / %.0f | %s | %.1f |%n",
            t[1], cards, shellSeconds, cards / shellSeconds, provisionSeconds, cards / provisionSeconds,
            shellSeconds / provisionSeconds, shellSeconds * 1000 / cards, provisionSeconds * 1000 / cards, cpuShare,
            ceiling));
      }
    }
    table.append(cold);
    Path out = Path.of("target/benchmarks/provision.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString());
    System.out.println(table);
  }
}
