package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.testing.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Hostile-test finding 11: every killed tokenroll process left a copy of the PKCS#11 wrapper's JNI library in
 * /tmp. Run as the launcher runs it, the library lives once in the user's cache; run without the launcher's
 * option, copies go to that private cache, and those of killed processes are removed by the next run.
 */
class LeftoversE2eTest {
  private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

  private static Set<Path> wrapperCopies(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("libpkcs11wrapper"))
          .collect(Collectors.toSet());
    }
  }

  @Test
  void killedRuns_leaveNoLibraryInTmp_andTheCacheCleansItself() throws Exception {
    try (Stack s = new Stack("leftovers")) {
      Path cache = Backends.privateDirectory("tokenroll-cache-");
      Path nativeDir = cache.resolve("tokenroll").resolve("native");
      Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
      Set<Path> before = wrapperCopies(TMP);

      // as the launcher runs it: the library is kept once, under its own name, and loaded from there
      Process launcherLike = ChildProcess.start(env, List.of("-Djava.library.path=" + nativeDir),
          List.of("tokens"));
      assertTrue(launcherLike.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, launcherLike.exitValue(), new String(launcherLike.getErrorStream().readAllBytes()));
      assertEquals(Set.of(nativeDir.resolve("libpkcs11wrapper.so")), wrapperCopies(nativeDir));
      assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(nativeDir)));

      // a library directory others could write to is refused, not loaded from
      Files.setPosixFilePermissions(nativeDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
      Process refused = ChildProcess.start(env, List.of("-Djava.library.path=" + nativeDir), List.of("tokens"));
      assertTrue(refused.waitFor(120, TimeUnit.SECONDS));
      String said = new String(refused.getErrorStream().readAllBytes());
      assertEquals(14, refused.exitValue(), said);
      assertTrue(said.contains("refusing to load the PKCS#11 wrapper"), said);
      Files.setPosixFilePermissions(nativeDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

      // without the launcher's option, killed mid-enrollment: its copy is in the private cache, not in /tmp
      Process killed = ChildProcess.start(Map.of("XDG_CACHE_HOME", cache.toString(), "TOKENROLL_DEBUG_HALT",
          "NEED_KEYS"), s.enrollArgs("Smart Card Logon"));
      ChildProcess.awaitLine(killed, "halted at NEED_KEYS", 120);
      ChildProcess.kill(killed);
      assertEquals(before, wrapperCopies(TMP), "nothing new in " + TMP);
      Set<Path> left = wrapperCopies(nativeDir);
      left.remove(nativeDir.resolve("libpkcs11wrapper.so"));
      assertEquals(1, left.size(), "the killed process's copy: " + left);

      // the next run removes copies older than any load takes
      Path old = left.iterator().next();
      Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
      Process next = ChildProcess.start(env, List.of("tokens"));
      assertTrue(next.waitFor(120, TimeUnit.SECONDS));
      assertFalse(Files.exists(old), "a dead process's copy is removed");
      assertEquals(before, wrapperCopies(TMP), "nothing new in " + TMP);
    }
  }
}
