package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tokenroll provision} against cmserver over HTTPS and real SoftHSM2 tokens: twenty cards a run for the EC
 * and the RSA template, each verified afterwards; a mixture with a wrong PIN, a card already enrolled and a request
 * the server refuses; a run killed with SIGKILL and finished by {@code resume}; and its progress in a
 * pseudo-terminal and in a pipe.
 */
class ProvisionE2eTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Stack stack;

  @BeforeAll
  static void server() throws Exception {
    stack = new Stack("provision");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /** The arguments of a provisioning run against the stack's server. */
  private static List<String> provision(Stack s, String template, String tokens, String pinSource) {
    return new ArrayList<>(List.of("provision", "--server", s.server.baseUri().toString(), "--template", template,
        "--module", SoftHsm2.LIBRARY.toString(), "--tokens", tokens, "--pin-source", pinSource, "--user", s.user,
        "--password-source", "file:" + s.password, "--trust", s.trust.toString(), "--state-dir",
        s.state.toString()));
  }

  /** {@code count} new tokens labelled {@code prefix-N}, all with the PIN in {@code pin}. */
  private static List<TestToken> tokens(String prefix, int count, Path pin) {
    List<TestToken> made = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      made.add(SoftHsm2.get().newLabelledToken(String.format("%s-%02d", prefix, i), pin));
    }
    return made;
  }

  private static Map<String, JsonNode> byToken(JsonNode report) {
    Map<String, JsonNode> map = new HashMap<>();
    report.forEach(r -> map.put(r.get("token").asText(), r));
    return map;
  }

  /**
   * What a provisioned card must hold: one private key, sensitive and never extractable, and one certificate with
   * its id whose public key is the key's — nothing else of ours; and pkcs11-tool, another PKCS#11 consumer, lists
   * the pair with the same id.
   */
  private static void assertKeyBoundCertificate(TestToken t, JsonNode report) throws Exception {
    try (TokenSession s = t.open()) {
      List<TokenObject> keys = s.find(new ObjectQuery(ObjectClass.PRIVATE_KEY, null, null));
      assertEquals(1, keys.size(), t.label() + ": one key, no orphan");
      TokenObject key = keys.get(0);
      assertTrue(key.has(TokenObject.Flag.SENSITIVE) && key.has(TokenObject.Flag.NEVER_EXTRACTABLE), t.label());
      List<X509Certificate> leaves = s.find(ObjectQuery.byId(key.id())).stream()
          .filter(o -> o.certificate() != null).map(TokenObject::certificate).toList();
      assertEquals(1, leaves.size(), t.label() + ": its certificate beside it");
      assertEquals(s.publicKey(key.id()), leaves.get(0).getPublicKey(), t.label() + ": key-bound");
      assertEquals(leaves.get(0).getSerialNumber().toString(16),
          report.get("certificates").get(0).get("serial").asText(), t.label() + ": the report names it");
      String listed = Backends.run(List.of("pkcs11-tool", "--module", SoftHsm2.LIBRARY.toString(), "--token-label",
          t.label(), "--login", "--pin", Backends.readSecret(t.userPinFile()), "-O"), t.environment(), 60);
      assertTrue(listed.contains("Private Key Object") && listed.contains("never extractable")
          && listed.contains("ID:         " + key.id().hex()), listed);
    }
  }

  @Test
  void twentyEcCardsThenTwentyRsaCards_eachProvisionedInOneRun_andVerified() throws Exception {
    try (Stack s = stack.fresh("provision-twenty")) {
      Path pin = Backends.pinFile(s.dir, "fleet.pin", 6);
      for (String[] run : new String[][] {{"prov-ec", "Smart Card Logon EC"}, {"prov-rsa", "Smart Card Logon"}}) {
        List<TestToken> cards = tokens(run[0], 20, pin);
        Path report = s.dir.resolve(run[0] + "-report.json");
        List<String> args = provision(s, run[1], run[0] + "-*", "file:" + pin);
        args.addAll(List.of("--report", report.toString(), "--json"));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.toString());
        JsonNode printed = JSON.readTree(cli.out());
        assertEquals(JSON.readTree(report.toFile()), printed, "--report holds what --json printed");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(report)));
        Map<String, JsonNode> results = byToken(printed);
        assertEquals(20, results.size(), cli.toString());
        for (TestToken t : cards) {
          JsonNode r = results.get(t.label());
          assertEquals("ENROLLED", r.get("outcome").asText(), r.toString());
          assertTrue(r.get("steps").size() >= 4, "timings per step: " + r);
          assertKeyBoundCertificate(t, r);
        }
        assertTrue(cli.err().contains("20 token(s): 20 enrolled, 0 skipped, 0 waiting, 0 failed"), cli.err());
      }
    }
  }

  @Test
  void aWrongPin_aCardAlreadyEnrolled_andARefusedRequest_areEachTheirCardsResult() throws Exception {
    try (Stack s = stack.fresh("provision-mix")) {
      Path pins = Files.createDirectories(s.dir.resolve("pins"));
      List<TestToken> cards = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        String label = "prov-mix-" + i;
        cards.add(SoftHsm2.get().newLabelledToken(label, Backends.pinFile(pins, label + ".pin", 6)));
      }
      TestToken wrongPin = cards.get(0);
      TestToken enrolled = cards.get(1);
      Files.writeString(s.dir.resolve("right.pin"), Files.readString(wrongPin.userPinFile()));
      Files.writeString(wrongPin.userPinFile(), "999999\n"); // what the helpdesk's file says; the card disagrees
      Cli first = Cli.run("enroll", "--server", s.server.baseUri().toString(), "--template", "Smart Card Logon EC",
          "--module", SoftHsm2.LIBRARY.toString(), "--token", enrolled.label(), "--pin-source",
          "file:" + enrolled.userPinFile(), "--user", s.user, "--password-source", "file:" + s.password, "--trust",
          s.trust.toString(), "--state-dir", s.state.toString());
      assertEquals(0, first.exitCode(), first.toString());
      s.server.faults().replaceResponse("POST", "/certificatedata$", 1, 400, "application/json",
          "{\"Message\":\"injected refusal\"}".getBytes(StandardCharsets.UTF_8));

      List<String> args = provision(s, "Smart Card Logon EC", "prov-mix-*", "file:" + pins + "/{label}.pin");
      args.addAll(List.of("--parallel", "2", "--json"));
      Cli run = Cli.run(args.toArray(String[]::new));
      assertEquals(ExitCodes.FAILED, run.exitCode(), run.toString());
      Map<String, JsonNode> results = byToken(JSON.readTree(run.out()));
      assertEquals(5, results.size());

      JsonNode pin = results.get(wrongPin.label());
      assertEquals("FAILED", pin.get("outcome").asText(), pin.toString());
      assertTrue(pin.get("reason").asText().toLowerCase().contains("pin"), pin.toString());
      assertFalse(pin.get("enrollment").isNull(), "journaled, with the refusal: a rerun must not try that PIN again");
      assertEquals("SKIPPED", results.get(enrolled.label()).get("outcome").asText());

      List<JsonNode> refused = new ArrayList<>();
      for (TestToken t : cards.subList(2, 5)) {
        JsonNode r = results.get(t.label());
        if (r.get("outcome").asText().equals("FAILED")) {
          refused.add(r);
          assertTrue(r.get("reason").asText().contains("injected refusal"), r.toString());
          try (TokenSession session = t.open()) {
            assertEquals(List.of(), session.find(new ObjectQuery(ObjectClass.PRIVATE_KEY, null, null)),
                "the refused card's key was removed: no orphan");
          }
        } else {
          assertEquals("ENROLLED", r.get("outcome").asText(), r.toString());
          assertKeyBoundCertificate(t, r);
        }
      }
      assertEquals(1, refused.size(), "exactly the one request the server refused: " + results);
      try (TokenSession session = enrolled.open()) {
        assertEquals(1, session.find(new ObjectQuery(ObjectClass.PRIVATE_KEY, null, null)).size(),
            "the skipped card was not touched");
      }

      // the same source again is not tried (a card has few tries); the right PIN from another source goes on
      Cli same = Cli.run(provision(s, "Smart Card Logon EC", wrongPin.label(), "file:" + pins + "/{label}.pin")
          .toArray(String[]::new));
      assertEquals(ExitCodes.FAILED, same.exitCode(), same.toString());
      assertTrue(same.out().contains("refused") || same.err().contains("refused"), same.toString());
      Path fixed = Files.createDirectories(s.dir.resolve("fixed"));
      Files.writeString(fixed.resolve(wrongPin.label() + ".pin"), Files.readString(s.dir.resolve("right.pin")));
      Cli again = Cli.run(provision(s, "Smart Card Logon EC", wrongPin.label(), "file:" + fixed + "/{label}.pin")
          .toArray(String[]::new));
      assertEquals(0, again.exitCode(), again.toString());
      assertTrue(again.out().contains("ENROLLED") && again.out().contains("TOKEN"), again.out());
    }
  }

  /** Two runs at once on the same cards (two operators, one state directory): each card is enrolled once. */
  @Test
  void twoRunsAtOnce_enrollEachCardOnce() throws Exception {
    try (Stack s = stack.fresh("provision-twice")) {
      Path pin = Backends.pinFile(s.dir, "fleet.pin", 6);
      List<TestToken> cards = tokens("prov-twice", 6, pin);
      List<Path> reports = List.of(s.dir.resolve("a.json"), s.dir.resolve("b.json"));
      java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2);
      List<java.util.concurrent.Future<Cli>> runs = new ArrayList<>();
      for (Path report : reports) {
        List<String> args = provision(s, "Smart Card Logon EC", "prov-twice-*", "file:" + pin);
        args.addAll(List.of("--parallel", "3", "--report", report.toString()));
        runs.add(both.submit(() -> ChildProcess.run(Map.of(), args)));
      }
      List<Cli> done = new ArrayList<>();
      for (var run : runs) {
        done.add(run.get());
      }
      both.shutdown();
      Map<String, Integer> enrolled = new HashMap<>();
      for (Path report : reports) {
        JSON.readTree(report.toFile()).forEach(r -> {
          if (r.get("outcome").asText().equals("ENROLLED")) {
            enrolled.merge(r.get("token").asText(), 1, Integer::sum);
          }
        });
      }
      for (TestToken t : cards) {
        assertEquals(1, enrolled.getOrDefault(t.label(), 0), t.label() + " by exactly one run: " + done);
        try (TokenSession session = t.open()) {
          assertEquals(1, session.find(new ObjectQuery(ObjectClass.PRIVATE_KEY, null, null)).size(),
              t.label() + ": one key");
        }
      }
    }
  }

  /** A retired card is a person's decision: provision says so and leaves it; --force enrolls it again. */
  @Test
  void aRetiredCard_isLeftToAPerson_unlessForced() throws Exception {
    try (Stack s = stack.fresh("provision-retired")) {
      Path pin = Backends.pinFile(s.dir, "fleet.pin", 6);
      TestToken card = tokens("prov-ret", 1, pin).get(0);
      Cli first = Cli.run(provision(s, "Smart Card Logon EC", card.label(), "file:" + pin).toArray(String[]::new));
      assertEquals(0, first.exitCode(), first.toString());
      String id = new FileJournal(s.state.resolve("enrollments")).all().get(0).id.value();
      Cli retire = s.cli("retire", id);
      assertEquals(0, retire.exitCode(), retire.toString());

      List<String> args = provision(s, "Smart Card Logon EC", card.label(), "file:" + pin);
      args.add("--json");
      Cli again = Cli.run(args.toArray(String[]::new));
      assertEquals(ExitCodes.FAILED, again.exitCode(), again.toString());
      JsonNode r = JSON.readTree(again.out()).get(0);
      assertTrue(r.get("reason").asText().contains("a person decides"), r.toString());
      try (TokenSession session = card.open()) {
        assertEquals(List.of(), session.find(new ObjectQuery(ObjectClass.PRIVATE_KEY, null, null)),
            "left as retired");
      }
      args.add("--force");
      Cli forced = Cli.run(args.toArray(String[]::new));
      assertEquals(0, forced.exitCode(), forced.toString());
      assertKeyBoundCertificate(card, JSON.readTree(forced.out()).get(0));
    }
  }

  /**
   * A card's journal entry renamed by hand cannot be read: provision does not take the card for a new one (a second
   * key and certificate), it stops before any card, naming the file; back under its name, the card is skipped.
   */
  @Test
  void anUnreadableJournalEntry_stopsProvisionBeforeAnyCard() throws Exception {
    try (Stack s = stack.fresh("provision-unreadable")) {
      Path pin = Backends.pinFile(s.dir, "fleet.pin", 6);
      TestToken card = tokens("prov-unread", 1, pin).get(0);
      List<String> args = provision(s, "Smart Card Logon EC", card.label(), "file:" + pin);
      Cli first = Cli.run(args.toArray(String[]::new));
      assertEquals(0, first.exitCode(), first.toString());
      Path entries = s.state.resolve("enrollments");
      Path entry = entries.resolve(new FileJournal(entries).all().get(0).id + ".json");
      Path renamed = java.nio.file.Files.move(entry, entries.resolve("renamed.json"));
      Cli refused = Cli.run(args.toArray(String[]::new));
      assertEquals(ExitCodes.FAILED, refused.exitCode(), refused.toString());
      assertTrue(refused.err().contains("renamed.json") && refused.err().contains("no token was touched"),
          refused.toString());
      try (TokenSession session = card.open()) {
        assertEquals(1, session.find(new ObjectQuery(ObjectClass.PRIVATE_KEY, null, null)).size(), "one key");
      }
      java.nio.file.Files.move(renamed, entry);
      args.add("--json");
      Cli again = Cli.run(args.toArray(String[]::new));
      assertEquals(0, again.exitCode(), again.toString());
      assertEquals("SKIPPED", JSON.readTree(again.out()).get(0).get("outcome").asText(), again.out());
    }
  }

  /** "Blank card in, enrolled card out": SoftHSM2's free slot is initialised with a label and PINs, then enrolled. */
  @Test
  void aBlankToken_isInitialised_thenEnrolled() throws Exception {
    try (Stack s = stack.fresh("provision-blank")) {
      Path pin = Backends.pinFile(s.dir, "fleet.pin", 6);
      Path so = Backends.pinFile(s.dir, "so.pin", 8);
      List<String> args = provision(s, "Smart Card Logon EC", "prov-blank-*", "file:" + pin);
      args.addAll(List.of("--init", "prov-blank-{n}", "--so-pin-source", "file:" + so, "--json"));
      Cli run = Cli.run(args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), run.toString());
      JsonNode report = JSON.readTree(run.out());
      assertEquals(1, report.size(), "SoftHSM2 offers one blank token at a time: " + report);
      JsonNode card = report.get(0);
      assertEquals("ENROLLED", card.get("outcome").asText(), card.toString());
      assertTrue(card.get("token").asText().matches("prov-blank-\\d+"), card.toString());
      String listed = Backends.run(List.of("pkcs11-tool", "--module", SoftHsm2.LIBRARY.toString(), "--token-label",
          card.get("token").asText(), "--login", "--pin", Backends.readSecret(pin), "-O"),
          Map.of("SOFTHSM2_CONF", SoftHsm2.get().config().toString()), 60);
      assertTrue(listed.contains("Private Key Object") && listed.contains("Certificate Object"), listed);
      // the security officer's PIN is the one given: it can set the user PIN again
      String so2 = Backends.run(List.of("pkcs11-tool", "--module", SoftHsm2.LIBRARY.toString(), "--token-label",
          card.get("token").asText(), "--login", "--login-type", "so", "--so-pin", Backends.readSecret(so),
          "--init-pin", "--new-pin", Backends.readSecret(pin)), Map.of("SOFTHSM2_CONF",
          SoftHsm2.get().config().toString()), 60);
      assertTrue(so2.toLowerCase().contains("pin successfully initialized"), so2);
    }
  }

  /** A prompt would ask once a card: every interactive source is refused before any card is touched. */
  @Test
  void promptsForPinsAndPasswords_areRefusedBeforeAnyCard() throws Exception {
    try (Stack s = stack.fresh("provision-prompts")) {
      Cli pin = Cli.run(provision(s, "Smart Card Logon EC", "nothing-*", "prompt").toArray(String[]::new));
      assertEquals(ExitCodes.INVALID_INPUT, pin.exitCode(), pin.toString());
      assertTrue(pin.err().contains("--pin-source prompt would ask once for every card"), pin.err());
      List<String> so = provision(s, "Smart Card Logon EC", "nothing-*", "file:" + s.password);
      so.addAll(List.of("--init", "x-{n}", "--so-pin-source", "pinentry"));
      Cli soPin = Cli.run(so.toArray(String[]::new));
      assertEquals(ExitCodes.INVALID_INPUT, soPin.exitCode(), soPin.toString());
      assertTrue(soPin.err().contains("every blank token"), soPin.err());
      List<String> pw = provision(s, "Smart Card Logon EC", "nothing-*", "file:" + s.password);
      pw.set(pw.indexOf("--password-source") + 1, "prompt");
      Cli password = Cli.run(pw.toArray(String[]::new));
      assertEquals(ExitCodes.INVALID_INPUT, password.exitCode(), password.toString());
      assertTrue(password.err().contains("--password-source prompt would ask once for every card"), password.err());
      // a report that could not be written at the end would have lost the run's results: refused at the start
      List<String> nowhere = provision(s, "Smart Card Logon EC", "nothing-*", "file:" + s.password);
      nowhere.addAll(List.of("--report", s.dir.resolve("missing").resolve("report.json").toString()));
      Cli report = Cli.run(nowhere.toArray(String[]::new));
      assertEquals(ExitCodes.INVALID_INPUT, report.exitCode(), report.toString());
      assertTrue(report.err().contains("does not exist"), report.err());
    }
  }

  @Test
  void aRunKilledMidway_losesNoCard_resumeFinishesWhatStarted_andARerunTheRest() throws Exception {
    try (Stack s = stack.fresh("provision-kill")) {
      Path pin = Backends.pinFile(s.dir, "fleet.pin", 6);
      List<TestToken> cards = tokens("prov-kill", 8, pin);
      s.server.faults().delay("POST", "/certificatedata$", 100, java.time.Duration.ofMillis(700));
      Process p = ChildProcess.start(cards.get(0).environment(), provision(s, "Smart Card Logon EC", "prov-kill-*",
          "file:" + pin));
      String seen = ChildProcess.awaitLine(p, "[2/8]", 120); // two cards done, others in flight
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertTrue(seen.contains("started"), seen);
      s.server.faults().clear();

      Cli resumed = s.cli("resume");
      assertTrue(resumed.exitCode() == 0, resumed.toString());
      List<Enrollment> journal = new FileJournal(s.state.resolve("enrollments")).all();
      assertTrue(journal.stream().allMatch(e -> e.state == EnrollmentState.COMPLETED), journal.toString());

      Cli rest = Cli.run(provision(s, "Smart Card Logon EC", "prov-kill-*", "file:" + pin).toArray(String[]::new));
      assertEquals(0, rest.exitCode(), rest.toString());
      journal = new FileJournal(s.state.resolve("enrollments")).all();
      assertEquals(8, journal.size(), "one enrollment per card: nothing duplicated");
      for (TestToken t : cards) {
        try (TokenSession session = t.open()) {
          assertEquals(1, session.find(new ObjectQuery(ObjectClass.PRIVATE_KEY, null, null)).size(), t.label());
        }
      }
      assertTrue(rest.out().contains("SKIPPED"), "the cards done before the kill are skipped: " + rest.out());
    }
  }

  /** Stopped by a signal (Ctrl-C, systemctl stop), a run says how to finish what it started. */
  @Test
  void aRunStoppedBySignal_saysHowToFinish() throws Exception {
    try (Stack s = stack.fresh("provision-term")) {
      Path pin = Backends.pinFile(s.dir, "fleet.pin", 6);
      List<TestToken> cards = tokens("prov-term", 3, pin);
      s.server.faults().delay("POST", "/certificatedata$", 10, java.time.Duration.ofSeconds(5));
      Process p = ChildProcess.start(cards.get(0).environment(), provision(s, "Smart Card Logon EC", "prov-term-*",
          "file:" + pin));
      String seen = ChildProcess.awaitLine(p, "started", 120);
      // SIGTERM, as systemctl stop sends (Ctrl-C's SIGINT runs the same hooks); Process.destroy would close stderr
      assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor());
      String rest = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertTrue(rest.contains("provision was stopped") && rest.contains("tokenroll resume --state-dir " + s.state),
          seen + rest);
      s.server.faults().clear();
    }
  }

  @Test
  void inAPseudoTerminal_progressIsRedrawnInPlace_andInAPipe_itIsPlainLines() throws Exception {
    try (Stack s = stack.fresh("provision-tty")) {
      Path pin = Backends.pinFile(s.dir, "fleet.pin", 6);
      tokens("prov-tty", 3, pin);
      tokens("prov-pipe", 3, pin);
      // script(1) runs the command on a new pseudo-terminal and copies what it draws
      List<String> tty = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", ChildProcess.JAR.toString()));
      tty.addAll(provision(s, "Smart Card Logon EC", "prov-tty-*", "file:" + pin));
      String command = "stty cols 120 rows 40; " + String.join(" ", tty.stream()
          .map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
      ProcessBuilder pb = new ProcessBuilder("script", "-qfec", command, "/dev/null").redirectErrorStream(true);
      pb.environment().put("SOFTHSM2_CONF", SoftHsm2.get().config().toString());
      pb.environment().put("TERM", "xterm-256color");
      Process p = pb.start();
      String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), screen);
      assertTrue(screen.contains("\u001b["), "cursor movement: redrawn in place\n" + screen);
      assertTrue(screen.contains("cards/s"), "the overall bar with its rate\n" + screen);
      assertFalse(screen.contains("[1/3]"), "not the plain lines\n" + screen);
      int table = screen.lastIndexOf("TOKEN");
      assertTrue(table > screen.lastIndexOf("cards/s"), "it ends with the table\n" + screen);

      Process pipe = ChildProcess.start(Map.of("SOFTHSM2_CONF", SoftHsm2.get().config().toString()),
          provision(s, "Smart Card Logon EC", "prov-pipe-*", "file:" + pin));
      String err = new String(pipe.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      String out = new String(pipe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(pipe.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, pipe.exitValue(), err);
      assertFalse(err.contains("\u001b["), "no escape codes in a pipe:\n" + err);
      assertTrue(err.contains("[1/3]") && err.contains("[3/3]"), err);
      assertTrue(out.startsWith("TOKEN"), out);
    }
  }

  /**
   * A template whose server chooses a random PIN and keeps none: refused before any card without --server-pin;
   * with a file pattern, each card's PIN lands in its own 0600 file and opens that card, and no output shows a PIN.
   */
  @Test
  void aServerChosenPin_goesToEachCardsOwnFile() throws Exception {
    try (Stack s = stack.fresh("provision-server-pin")) {
      Path pin = Backends.pinFile(s.dir, "factory.pin", 6);
      List<TestToken> cards = tokens("prov-spin", 3, pin);
      Cli refused = Cli.run(provision(s, "Smart Card Logon with Random PIN", "prov-spin-*", "file:" + pin)
          .toArray(String[]::new));
      assertNotEquals(0, refused.exitCode(), refused.toString());
      assertTrue(refused.err().contains("--server-pin"), refused.toString());
      assertTrue(new FileJournal(s.state.resolve("enrollments")).all().isEmpty(), "no card was touched");

      Path pins = Files.createDirectories(s.dir.resolve("new-pins"));
      List<String> args = provision(s, "Smart Card Logon with Random PIN", "prov-spin-*", "file:" + pin);
      args.addAll(List.of("--server-pin", "file:" + pins + "/{label}.pin"));
      Cli run = Cli.run(args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), run.toString());
      for (TestToken t : cards) {
        Path file = pins.resolve(t.label() + ".pin");
        String chosen = Files.readString(file).strip();
        assertTrue(chosen.matches("\\d{8}"), t.label());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(file)));
        assertFalse(run.toString().contains(chosen), "never printed");
        String listed = Backends.run(List.of("pkcs11-tool", "--module", SoftHsm2.LIBRARY.toString(), "--token-label",
            t.label(), "--login", "--pin", chosen, "-O"), t.environment(), 60);
        assertTrue(listed.contains("Private Key Object"), "the server's PIN opens " + t.label());
      }
    }
  }
}
