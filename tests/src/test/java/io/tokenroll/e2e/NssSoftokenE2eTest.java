package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.NssSoftoken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CLI on a real NSS softoken; NSS reads its configuration once per process, so each run is a child process.
 * The two-key profiles enroll on it (issue 10: every template on every backend), and a token failure that retrying
 * cannot fix ends the enrollment cleanly — request Abandoned, nothing left on the token, a message saying what the
 * token refused — instead of leaving it to fail the same way on every resume: the softoken opened read-only
 * refuses key generation after the server has approved the request.
 */
class NssSoftokenE2eTest {
  /** Every smart-card template cmserver ships, as {@link TemplateMatrixE2eTest} runs them on the other backends. */
  static java.util.stream.Stream<String> cardTemplates() {
    return io.tokenroll.cmserver.BuiltInTemplates.profileTemplates().stream()
        .filter(io.tokenroll.cmserver.mimcm.ProfileTemplate::smartcard)
        .filter(t -> t.policies().get("Enroll").approvalsNeeded() == 0) // approval is the server's, not the token's
        .map(io.tokenroll.cmserver.mimcm.ProfileTemplate::name);
  }

  /** Every card template on NSS softoken through the CLI (issue 10: every template on every backend). */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("cardTemplates")
  void everyCardTemplate_enrollsOnNss(String template) throws Exception {
    Backends.requireInstalled("NSS softoken", NssSoftoken.LIBRARY, Path.of("/usr/bin/certutil"));
    var t = io.tokenroll.cmserver.BuiltInTemplates.profileTemplates().stream()
        .filter(x -> x.name().equals(template)).findFirst().orElseThrow();
    boolean denies = t.uuid().equals(io.tokenroll.cmserver.BuiltInTemplates.DENIED_BY_CA);
    try (Stack s = new Stack("nss-templates")) {
      Path db = s.dir.resolve("nssdb");
      Files.createDirectories(db);
      Path pin = Backends.pinFile(s.dir, "nss.pin", 8);
      Backends.run(List.of("certutil", "-N", "-d", "sql:" + db, "-f", pin.toString()), Map.of(), 30);
      List<String> args = new ArrayList<>(s.enrollArgs(template));
      args.set(args.indexOf("--token") + 1, "NSS Certificate DB");
      args.set(args.indexOf("--pin-source") + 1, "file:" + pin);
      args.set(args.indexOf("--module") + 1, NssSoftoken.LIBRARY.toString());
      args.addAll(List.of("--module-args", NssSoftoken.initArgs(db, false), "--server-pin",
          "file:" + s.dir.resolve("server.pin")));
      Cli run = ChildProcess.run(Map.of(), args);
      if (!denies) {
        assertEquals(0, run.exitCode(), run.toString());
      }
      long installed = run.out().lines().filter(l -> l.matches("item \\d+: INSTALLED.*")).count();
      assertEquals(t.certificates().size() - (denies ? 1 : 0), installed, run.toString());
      Path keyPin = Files.exists(s.dir.resolve("server.pin")) ? s.dir.resolve("server.pin") : pin;
      String keys = Backends.run(List.of("certutil", "-K", "-d", "sql:" + db, "-f", keyPin.toString()), Map.of(), 30);
      assertEquals(installed, keys.lines().filter(l -> l.matches("<\\s*\\d+>.*")).count(), keys);
    }
  }

  @Test
  void aPermanentTokenFailure_abandonsTheRequest_andLeavesTheTokenAsItWas() throws Exception {
    Backends.requireInstalled("NSS softoken", NssSoftoken.LIBRARY, Path.of("/usr/bin/certutil"));
    try (Stack s = new Stack("token-failures")) {
      Path db = s.dir.resolve("nssdb");
      Files.createDirectories(db);
      Path pin = Backends.pinFile(s.dir, "nss.pin", 8);
      Backends.run(List.of("certutil", "-N", "-d", "sql:" + db, "-f", pin.toString()), Map.of(), 30);
      List<String> args = new ArrayList<>(s.enrollArgs("Smart Card Logon EC"));
      args.set(args.indexOf("--token") + 1, "NSS Certificate DB");
      args.set(args.indexOf("--pin-source") + 1, "file:" + pin);
      args.set(args.indexOf("--module") + 1, NssSoftoken.LIBRARY.toString());
      args.addAll(List.of("--module-args", NssSoftoken.initArgs(db, true)));
      Cli run = ChildProcess.run(Map.of(), args);
      assertEquals(ExitCodes.FAILED, run.exitCode(), run.toString());
      assertTrue(run.out().contains("refused the enrollment for good") && run.out().contains("read-only"),
          run.toString());
      Enrollment e = new FileJournal(s.state.resolve("enrollments")).all().get(0);
      assertEquals(EnrollmentState.ABANDONED, e.state, "not left to fail on every resume");
      assertEquals("Abandoned", s.server.admin().requests().stream()
          .filter(r -> r.uuid().equals(e.requestId)).findFirst().orElseThrow().status());
      Process keys = new ProcessBuilder("certutil", "-K", "-d", "sql:" + db, "-f", pin.toString())
          .redirectErrorStream(true).start();
      String listed = new String(keys.getInputStream().readAllBytes());
      keys.waitFor();
      assertTrue(listed.contains("no keys found"), "no key on the token: " + listed);
    }
  }
}
