package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.testing.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The systemd units the package installs pass {@code systemd-analyze verify} with nothing to say: it exits 0 even
 * for an unknown key and only warns, so the test requires silence. ExecStart points at the repository's launcher,
 * as verify wants the program to exist (the installed copy is verified by dist/src/deb/check-installed.sh). The
 * user unit is verified in system mode: a test machine has no user manager, and its directives are the same.
 */
class SystemdUnitsTest {
  @ParameterizedTest
  @ValueSource(strings = {"tokenroll-agent.service", "tokenroll-agent-user.service"})
  void theUnitsVerifyWithoutAWord(String unit) throws Exception {
    Backends.requireInstalled("systemd (systemd-analyze)", Path.of("/usr/bin/systemd-analyze"));
    Path dir = Backends.privateDirectory("tokenroll-units-");
    Path launcher = Path.of("../bin/tokenroll").toAbsolutePath().normalize();
    String text = Files.readString(Path.of("../dist/src/deb/systemd", unit)).replace("/usr/bin/tokenroll",
        launcher.toString());
    assertEquals("", verify(Files.writeString(dir.resolve(unit), text)), unit);
    Path broken = Files.writeString(dir.resolve("broken-" + unit), text.replace("[Service]", "[Service]\nNoSuchKey=1"));
    assertTrue(verify(broken).contains("NoSuchKey"), "the check can fail");
  }

  private static String verify(Path unit) throws Exception {
    Process p = new ProcessBuilder(List.of("systemd-analyze", "verify", unit.toString())).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
