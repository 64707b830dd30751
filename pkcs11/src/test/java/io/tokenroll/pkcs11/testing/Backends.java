package io.tokenroll.pkcs11.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Shared plumbing for the token fixtures: private directories, PIN files, child processes. */
public final class Backends {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Backends() {
  }

  /**
   * Whether a backend's software is installed. Missing software skips its tests with a message, except when
   * TOKENROLL_REQUIRE_ALL_BACKENDS=1 (CI), where it fails them: CI must exercise every backend.
   */
  public static void requireInstalled(String backend, Path... files) {
    List<Path> missing = Stream.of(files).filter(f -> !Files.exists(f)).toList();
    if (missing.isEmpty()) {
      return;
    }
    String message = backend + " is not installed (missing " + missing + "); .ci/run installs it";
    if ("1".equals(System.getenv("TOKENROLL_REQUIRE_ALL_BACKENDS"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
  }

  /** A private directory on tmpfs when there is one (token object writes are ~100x faster there). */
  public static Path privateDirectory(String prefix) {
    try {
      Path shm = Path.of("/dev/shm");
      Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
      Path dir = Files.createTempDirectory(base, prefix, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a private directory", e);
    }
  }

  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }

  /** A random numeric PIN written to a 0600 file. */
  public static Path pinFile(Path dir, String name, int digits) {
    StringBuilder pin = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      pin.append(RANDOM.nextInt(10));
    }
    return writeSecret(dir.resolve(name), pin.toString());
  }

  public static Path writeSecret(Path file, String value) {
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, value + "\n");
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String readSecret(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Runs a command to completion; fails with its output when it exits non-zero. */
  public static String run(List<String> command, java.util.Map<String, String> env, int timeoutSeconds) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size())))
            + " exited " + p.exitValue() + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A child process that runs until the JVM exits. */
  public static Process daemon(List<String> command, java.util.Map<String, String> env, Path log) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        p.destroy();
        try {
          if (!p.waitFor(3, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
        }
      }));
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command.get(0), e);
    }
  }

  /** A free port whose successor is free too. */
  public static int freePortPair() {
    for (int i = 0; i < 50; i++) {
      int p = freePort();
      if (p < 65535 && !isListening(p + 1)) {
        try (var s = new java.net.ServerSocket(p + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
          return p;
        } catch (IOException e) {
          // taken; try another
        }
      }
    }
    throw new IllegalStateException("no free pair of loopback ports");
  }

  public static boolean isListening(int port) {
    try (var s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static int freePort() {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
