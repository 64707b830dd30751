package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.testing.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the agent through success and failure, verbose, in-process and as a child process, then searches
 * everything it wrote — stdout, stderr, stack traces, the journal, lock files — for the PINs and the password.
 */
class SecretLeakTest {
  @Test
  void noPinOrPasswordAppearsInOutputLogsOrJournal() throws Exception {
    try (Stack s = new Stack("leak")) {
      List<String> said = new ArrayList<>();
      Path wrong = Backends.writeSecret(s.dir.resolve("wrong.pin"), "97531864");
      Path newPin = Backends.writeSecret(s.dir.resolve("new.pin"), "86421357");
      Cli enroll = s.enroll("Smart Card Logon", "-v");
      said.add(enroll.out() + enroll.err());
      String id = enroll.out().replaceAll("(?s).*enrollment (\\S+) \\(.*", "$1");
      Cli badPin = Cli.run("objects", "-v", "--token", s.token.label(), "--pin-source", "file:" + wrong);
      assertEquals(10, badPin.exitCode());
      said.add(badPin.out() + badPin.err());
      List<String> args = new ArrayList<>(s.enrollArgs("Smart Card Logon EC"));
      args.set(args.indexOf("--pin-source") + 1, "file:" + wrong);
      args.add("-v");
      Cli child = ChildProcess.run(Map.of(), args);
      said.add(child.out());
      assertEquals(10, child.exitCode(), "a wrong PIN stops the child before the server hears of it\n" + child);
      said.add(s.cli("status", "--json", "--all").out());
      Cli unblock = s.cli("unblock", id, "-v", "--so-pin-source", "file:" + s.token.soPinFile(), "--new-pin-source",
          "file:" + newPin);
      assertEquals(0, unblock.exitCode(), unblock.toString());
      said.add(unblock.out() + unblock.err());

      List<String> secrets = List.of(Backends.readSecret(s.token.userPinFile()), Backends.readSecret(s.token.soPinFile()),
          "97531864", "86421357", Backends.readSecret(s.password));
      assertTrue(Files.exists(s.state.resolve("audit.log")), "the audit log is among the files searched");
      try (Stream<Path> files = Files.walk(s.state)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          said.add(f + ":\n" + Files.readString(f));
        }
      }
      for (String text : said) {
        for (String secret : secrets) {
          assertFalse(text.contains(secret), "a secret leaked into:\n" + text);
          assertFalse(text.contains(Base64.getEncoder().encodeToString(secret.getBytes())),
              "a base64 secret leaked into:\n" + text);
        }
      }
      Files.writeString(s.token.userPinFile(), "86421357\n");
    }
  }
}
