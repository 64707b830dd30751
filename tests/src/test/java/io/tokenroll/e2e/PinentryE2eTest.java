package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PIN from a real pinentry program (pinentry-tty, GnuPG's), asked on a real pseudo-terminal where a scripted
 * person (src/test/python/person_at_tty.py) reads the question and types the answer: tokenroll speaks Assuan to
 * the program, and the token takes the PIN. A person who gives up (end of input) leaves the token untouched and
 * tokenroll says no PIN was given.
 */
class PinentryE2eTest {
  private static final Path PINENTRY_TTY = Path.of("/usr/bin/pinentry-tty");

  private record Person(Process process, String tty) {
    String screen() throws Exception {
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes());
      process.waitFor();
      return out;
    }
  }

  private static Person person(String answer) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/python3", Path.of("src/test/python/person_at_tty.py").toAbsolutePath()
        .toString(), answer).redirectErrorStream(true).start();
    String tty = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
    assertTrue(tty != null && tty.startsWith("/dev/pts/"), "a pseudo-terminal: " + tty);
    return new Person(p, tty);
  }

  private static Cli keygen(TestToken token, Person person) throws Exception {
    Map<String, String> env = new HashMap<>(token.environment());
    env.put("GPG_TTY", person.tty());
    env.put("TERM", "dumb");
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    return ChildProcess.run(env, List.of("keygen", "--module", token.library().toString(), "-t", token.label(),
        "--type", "EC-P256", "--label", "asked", "--pin-source", "pinentry:" + PINENTRY_TTY, "--state-dir",
        Backends.privateDirectory("tokenroll-pinentry-state-").toString()));
  }

  @Test
  void thePinTypedIntoPinentry_opensTheToken() throws Exception {
    Backends.requireInstalled("pinentry-tty", PINENTRY_TTY, Path.of("/usr/bin/python3"));
    TestToken token = SoftHsm2.get().newToken("pinentry");
    Person person = person(Backends.readSecret(token.userPinFile()));
    Cli run = keygen(token, person);
    String screen = person.screen();
    assertEquals(0, run.exitCode(), run + "\n" + screen);
    assertTrue(screen.contains("user PIN of token '" + token.label() + "'"), "it said what it asks for: " + screen);
    try (var s = token.open()) {
      assertEquals(1, s.find(io.tokenroll.pkcs11.ObjectQuery.all()).stream()
          .filter(o -> o.objectClass() == ObjectClass.PRIVATE_KEY).count());
    }
  }

  @Test
  void aPersonWhoGivesUp_leavesTheTokenAsItWas() throws Exception {
    Backends.requireInstalled("pinentry-tty", PINENTRY_TTY, Path.of("/usr/bin/python3"));
    TestToken token = SoftHsm2.get().newToken("pinentry-cancel");
    Person person = person("EOF");
    Cli run = keygen(token, person);
    String screen = person.screen();
    assertNotEquals(0, run.exitCode(), run + "\n" + screen);
    assertTrue(run.out().contains("gave no PIN"), run.toString());
    try (var s = token.open()) {
      assertEquals(List.of(), s.find(io.tokenroll.pkcs11.ObjectQuery.all()));
    }
  }
}
