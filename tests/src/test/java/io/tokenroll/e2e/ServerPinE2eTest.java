package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.testing.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Templates whose server proposes the user PIN (UserPinOption ServerDistributed and Randomized): the PIN reaches
 * the user's file before the token, is set on the SoftHSM2 token with C_SetPIN, opens the token afterwards (checked
 * with pkcs11-tool, another PKCS#11 consumer), is never printed or journaled, and is set once even when the process
 * is killed right after setting it.
 */
class ServerPinE2eTest {
  private static final String SERVER_PIN = "Smart Card Logon with Server PIN";
  private static final String RANDOM_PIN = "Smart Card Logon with Random PIN";
  private static Stack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack("server-pin");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static String loginWith(Stack s, String pin) {
    return Backends.run(List.of("pkcs11-tool", "--module", s.token.library().toString(), "--token-label",
        s.token.label(), "--login", "--pin", pin, "--list-objects", "--type", "privkey"), s.token.environment(), 60);
  }

  private static Enrollment journaled(Stack s) throws Exception {
    return new FileJournal(s.state.resolve("enrollments")).all().get(0);
  }

  @Test
  void aDistributedPin_goesToTheFileFirst_thenOnTheToken_andNowhereElse() throws Exception {
    try (Stack s = stack.fresh("pin-distributed")) {
      Path pinFile = s.dir.resolve("card.pin");
      Cli run = s.enroll(SERVER_PIN, "--server-pin", "file:" + pinFile);
      assertEquals(0, run.exitCode(), run.toString());
      String pin = Files.readString(pinFile).strip();
      assertTrue(pin.matches("\\d{8}"), "the server's PIN");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pinFile)));
      assertTrue(loginWith(s, pin).contains("Private Key Object"), "the server's PIN opens the token");
      assertFalse(run.toString().contains(pin), "never printed");
      String journal = Files.readString(Files.list(s.state.resolve("enrollments")).findFirst().orElseThrow());
      assertFalse(journal.contains(pin), "never journaled");
      Enrollment e = journaled(s);
      assertTrue(e.pinChanged);
      assertEquals("file:" + pinFile, e.pinSource, "later runs read the PIN where the user keeps it");
      // the audit log: what was done to the token, by which enrollment — never with what
      Path audit = s.state.resolve("audit.log");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(audit)));
      List<String> events = Files.readAllLines(audit).stream()
          .map(l -> l.replaceAll(".*\"event\":\"([A-Z_]+)\".*", "$1")).toList();
      assertEquals(List.of("USER_PIN_CHANGED", "KEY_GENERATED", "KEY_ID_CHANGED", "CERTIFICATE_STORED"),
          events.stream().distinct().toList(), "in this order (CA certificates add CERTIFICATE_STORED lines)");
      assertTrue(Files.readString(audit).contains(e.id.value()), "each line names the enrollment");
      assertFalse(Files.readString(audit).contains(pin), "never the PIN");
      assertNotEquals(pin, Backends.readSecret(s.token.userPinFile()), "the old PIN is gone from the token");
    }
  }

  @Test
  void aDistributedPin_withNoFile_isFetchedAgainByLaterRuns() throws Exception {
    try (Stack s = stack.fresh("pin-kept")) {
      Cli run = s.enroll(SERVER_PIN);
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(run.err().contains("the server keeps it"), run.toString());
      Enrollment e = journaled(s);
      assertEquals("server-proposed", e.pinSource);
      // renew logs in again: the only PIN it can have is the one it fetches from the server
      Cli renew = s.cli("renew", e.id.value());
      assertEquals(0, renew.exitCode(), renew.toString());
    }
  }

  /** A card with an SO PIN only (as from the factory): the server's PIN is set with C_InitPIN as security officer. */
  @Test
  void aCardWithoutAUserPin_getsTheServersPinFromTheSecurityOfficer() throws Exception {
    io.tokenroll.pkcs11.testing.TestToken fresh = io.tokenroll.pkcs11.testing.SoftHsm2.get().newToken("pin-fresh",
        false);
    try (Stack s = new Stack(fresh, null)) {
      Path pinFile = s.dir.resolve("card.pin");
      Cli run = s.enroll(SERVER_PIN, "--server-pin", "file:" + pinFile, "--so-pin-source", "file:" + fresh.soPinFile());
      assertEquals(0, run.exitCode(), run.toString());
      String pin = Files.readString(pinFile).strip();
      assertTrue(loginWith(s, pin).contains("Private Key Object"), "the server's PIN is the card's first user PIN");
      String journal = Files.readString(Files.list(s.state.resolve("enrollments")).findFirst().orElseThrow());
      assertFalse(journal.contains(pin) || journal.contains(Backends.readSecret(fresh.soPinFile())),
          "neither PIN journaled");
    }
  }

  @Test
  void aRandomPin_withNowhereToGo_isRefusedBeforeTheServerHearsOfIt() throws Exception {
    try (Stack s = stack.fresh("pin-random-nowhere")) {
      int before = s.server.admin().requests().size();
      Cli run = s.enroll(RANDOM_PIN);
      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(run.err().contains("--server-pin"), run.toString());
      assertEquals(before, s.server.admin().requests().size(), "no request made");
      assertEquals(List.of(), s.objects());
    }
  }

  /**
   * SIGKILL just before C_SetPIN and just after it, then resume in a process of its own (as after a real crash: in
   * this JVM the token's login state is shared with the fixture). One login with the PIN in the user's file
   * settles it: after the change, the PIN is kept, not replaced by a second random one; before it, the change runs.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"CHANGING_PIN:done", "CHANGING_PIN"})
  void aRandomPin_killedAroundTheChange_isSetOnce(String haltAt) throws Exception {
    try (Stack s = stack.fresh("pin-random-crash")) {
      Path pinFile = s.dir.resolve("random.pin");
      List<String> args = new java.util.ArrayList<>(s.enrollArgs(RANDOM_PIN));
      args.addAll(List.of("--server-pin", "file:" + pinFile));
      Process child = ChildProcess.start(Map.of("TOKENROLL_DEBUG_HALT", haltAt), args);
      ChildProcess.awaitLine(child, "halted at " + haltAt, 120);
      ChildProcess.kill(child);
      String pin = Files.readString(pinFile).strip();
      assertEquals(EnrollmentState.CHANGING_PIN, journaled(s).state);
      Cli resume = ChildProcess.run(Map.of(), List.of("resume", journaled(s).id.value(), "--state-dir",
          s.state.toString()));
      assertEquals(0, resume.exitCode(), resume.toString());
      String now = Files.readString(pinFile).strip();
      if (haltAt.endsWith(":done")) {
        assertTrue(resume.out().contains("set on the card before the interruption"), resume.toString());
        assertEquals(pin, now, "not replaced by a second PIN");
      }
      assertTrue(loginWith(s, now).contains("Private Key Object"), "the card opens with the PIN the user has");
      assertEquals(EnrollmentState.COMPLETED, journaled(s).state);
      assertFalse(resume.toString().contains(now), "never printed");
    }
  }
}
