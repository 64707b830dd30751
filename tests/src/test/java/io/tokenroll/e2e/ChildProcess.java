package io.tokenroll.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The distributed tokenroll.jar in a child JVM — so it can be killed with SIGKILL mid-flight. */
final class ChildProcess {
  static final Path JAR = Path.of("../dist/target/tokenroll.jar").toAbsolutePath().normalize();

  private ChildProcess() {
  }

  static Process start(Map<String, String> env, List<String> args) throws IOException {
    return start(env, List.of(), args);
  }

  /** As above, everything it prints (stdout and stderr) going to {@code log}, readable after it is killed. */
  static Process start(Map<String, String> env, List<String> args, Path log) throws IOException {
    return builder(env, List.of(), args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** As above, with JVM options before {@code -jar} (what the launcher adds). */
  static Process start(Map<String, String> env, List<String> jvmOptions, List<String> args) throws IOException {
    return builder(env, jvmOptions, args).start();
  }

  private static ProcessBuilder builder(Map<String, String> env, List<String> jvmOptions, List<String> args) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing; the dist module is packaged before the tests run");
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", JAR.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    return pb;
  }

  /** Runs to the end; returns the exit code and everything printed (stdout and stderr merged). */
  static Cli run(Map<String, String> env, List<String> args) throws Exception {
    return run(env, List.of(), args);
  }

  /** As above, with JVM options before {@code -jar}. */
  static Cli run(Map<String, String> env, List<String> jvmOptions, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", JAR.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tokenroll did not finish: " + out);
    }
    return new Cli(p.exitValue(), out, "");
  }

  /**
   * Reads the child's stderr until a line contains {@code marker}; returns everything read. Fails if the child
   * exits or the time runs out first.
   */
  static String awaitLine(Process p, String marker, int seconds) throws Exception {
    StringBuilder seen = new StringBuilder();
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Thread reader = Thread.currentThread();
    String line;
    while ((line = err.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains(marker)) {
        return seen.toString();
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    p.destroyForcibly();
    throw new AssertionError("the child never printed '" + marker + "' (" + reader.getName() + "); it said:\n"
        + seen + new String(p.getInputStream().readAllBytes()));
  }

  /** SIGKILL: no shutdown hooks, no finally blocks, exactly like a crash or a power cut. */
  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the child survived SIGKILL");
    }
  }
}
