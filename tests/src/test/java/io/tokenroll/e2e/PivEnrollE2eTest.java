package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.virtualpiv.VirtualPivCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CM flow on a PIV card through pcscd (the virtual PIV card in the vpcd reader), with the card's management key
 * answered by the CM server: enrollment into the slots the key usages call for, renewal, retirement, and the
 * diversified key of a template that asks for it — each read back by OpenSC, yubico-piv-tool and openssl.
 */
class PivEnrollE2eTest {
  private static final String READER = "Virtual PCD 00 00";
  private static final String OPENSC = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
  private static final String DEFAULT_KEY = "010203040506070801020304050607080102030405060708";
  private static Stack stack;
  private static VirtualCard pcsc;

  @BeforeAll
  static void start() throws Exception {
    pcsc = VirtualCard.start();
    stack = new Stack("piv-server");
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
    pcsc.close();
  }

  /** A card of its own (state in a directory), its PIN in a file, a state directory for tokenroll. */
  private record Card(VirtualPivCard card, Path dir, Path pin, Path state) implements AutoCloseable {
    static Card insert() throws Exception {
      return insert(Backends.privateDirectory("tokenroll-piv-e2e-"));
    }

    static Card insert(Path dir) throws Exception {
      VirtualPivCard card = VirtualPivCard.insert(35963, dir.resolve("card"));
      for (int i = 0; i < 100 && !pivAnswers(); i++) { // pcscd has powered this card, not the one before
        Thread.sleep(100);
      }
      return new Card(card, dir, Backends.writeSecret(dir.resolve("pin"), "123456"), dir.resolve("state"));
    }

    Cli tokenroll(String... args) {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--state-dir", state.toString()));
      return Cli.run(all.toArray(String[]::new));
    }

    Cli enroll(String template, String... more) {
      List<String> args = enrollArgs(template);
      args.addAll(List.of(more));
      return tokenroll(args.toArray(String[]::new));
    }

    /** Enrolls the card, which must succeed; the enrollment's id. */
    String enrolled(String template, String... more) {
      Cli run = enroll(template, more);
      assertEquals(0, run.exitCode(), run.toString());
      return enrollmentId(run);
    }

    List<String> enrollArgs(String template) {
      return new ArrayList<>(List.of("enroll", "--server", stack.server.baseUri().toString(), "--template",
          template, "--module", "piv", "--pin-source", "file:" + pin, "--user", stack.user, "--password-source",
          "file:" + stack.password, "--trust", stack.trust.toString()));
    }

    Enrollment journaled(String id) throws Exception {
      return new FileJournal(state.resolve("enrollments")).find(id).orElseThrow();
    }

    /** The card's own record of itself: what a real card would never show, checked only where nothing else can. */
    String cardState(String key) throws Exception {
      java.util.Properties p = new java.util.Properties();
      try (var in = Files.newInputStream(dir.resolve("card").resolve("card.properties"))) {
        p.load(in);
      }
      return p.getProperty(key);
    }

    /** The card in the reader answers SELECT of the PIV application. */
    static boolean pivAnswers() {
      try {
        return Backends.run(List.of("opensc-tool", "-r", READER, "-s", "00A4040009A00000030800001000"), Map.of(), 30)
            .contains("SW1=0x90");
      } catch (IllegalStateException noCard) {
        return false;
      }
    }

    @Override
    public void close() throws Exception {
      card.close();
      for (int i = 0; i < 100 && pivAnswers(); i++) { // until pcscd has seen it go
        Thread.sleep(100);
      }
    }
  }

  private static String enrollmentId(Cli run) {
    Matcher m = Pattern.compile("enrollment (\\S+) \\(").matcher(run.out());
    assertTrue(m.find(), run.toString());
    return m.group(1);
  }

  private static String yubicoStatus() {
    return yubicoStatus(READER);
  }

  private static String yubicoStatus(String reader) {
    return Backends.run(List.of("yubico-piv-tool", "-r", reader, "-a", "status"), Map.of(), 60);
  }

  /** The fingerprint yubico-piv-tool shows for a slot's certificate; null when the slot shows none. */
  private static String fingerprint(String status, String slot) {
    Matcher m = Pattern.compile("Slot " + slot + ":.*?Fingerprint:\\s*(\\S+)", Pattern.DOTALL).matcher(status);
    return m.find() && !status.substring(status.indexOf("Slot " + slot)).startsWith("Slot " + slot + ":\tParse")
        ? m.group(1) : null;
  }

  private static String openscObjects(String pin) {
    return Backends.run(List.of("pkcs11-tool", "--module", OPENSC, "--login", "--pin", pin, "-O"), Map.of(), 60);
  }

  /** OpenSC signs with the key of {@code id} (RSA-SHA256); openssl verifies with the certificate OpenSC reads. */
  private static void openscSignatureVerifies(Path dir, String id, String pin) throws Exception {
    Files.writeString(dir.resolve("data"), "signed with PIV key " + id);
    Backends.run(List.of("pkcs11-tool", "--module", OPENSC, "--login", "--pin", pin, "--sign", "--id", id, "-m",
        "SHA256-RSA-PKCS", "-i", dir.resolve("data").toString(), "-o", dir.resolve("sig").toString()), Map.of(), 60);
    Backends.run(List.of("pkcs11-tool", "--module", OPENSC, "--read-object", "--type", "cert", "--id", id, "-o",
        dir.resolve("cert.der").toString()), Map.of(), 60);
    String verified = Backends.run(List.of("sh", "-c", "openssl x509 -inform der -in " + dir.resolve("cert.der")
        + " -pubkey -noout > " + dir.resolve("key.pem") + " && openssl dgst -sha256 -verify " + dir.resolve("key.pem")
        + " -signature " + dir.resolve("sig") + " " + dir.resolve("data")), Map.of(), 60);
    assertTrue(verified.contains("Verified OK"), verified);
  }

  /**
   * Signing and encryption: the signing key in 9A, the decryption key in 9D, both certificates in their slots and no
   * CA certificate anywhere; OpenSC lists each key with its certificate and signs with 9A, openssl verifies, and
   * yubico-piv-tool and pkcs15-tool list the same. Renewal replaces the signing key in 9A and keeps the old
   * decryption key in 9D (old mail must still open), its successor going to the first retired slot (82), which
   * OpenSC shows through the key-history object. Retirement clears every certificate the enrollments wrote.
   */
  @Test
  void signingAndEncryption_enrollRenewRetire_readBackByOpenscAndYubicoPivTool() throws Exception {
    try (Card c = Card.insert()) {
      String id = c.enrolled("Smart Card Signing and Encryption");
      Enrollment e = c.journaled(id);
      assertEquals(List.of("01", "03"), e.keys.stream().map(k -> k.slot).toList(), "9A, then 9D");
      assertEquals("00112233-4455-6677-8899-aabbccddeeff".length(), e.cardId.length());
      assertNotNull(e.atr, "the ATR goes with the card's binding");
      assertTrue(e.installedCaIds.isEmpty(), "a PIV card has no place for CA certificates");

      String status = yubicoStatus();
      assertTrue(status.contains("Slot 9a") && status.contains("Slot 9d") && !status.contains("Slot 9c"), status);
      assertTrue(status.contains("CN=alice"), status);
      String objects = openscObjects("123456");
      assertTrue(objects.contains("Certificate for PIV Authentication")
          && objects.contains("Certificate for Key Management"), objects);
      assertEquals(2, objects.split("Private Key Object", -1).length - 1, objects);
      openscSignatureVerifies(c.dir, "01", "123456");
      String listed = Backends.run(List.of("pkcs15-tool", "--reader", READER, "--list-certificates"), Map.of(), 60);
      assertTrue(listed.contains("Certificate for PIV Authentication") && listed.contains("ID             : 03"),
          listed);

      Cli renew = c.tokenroll("renew", id);
      assertEquals(0, renew.exitCode(), renew.toString());
      String renewed = yubicoStatus();
      assertNotEquals(fingerprint(status, "9a"), fingerprint(renewed, "9a"), "a new signing certificate in 9A");
      assertEquals(fingerprint(status, "9d"), fingerprint(renewed, "9d"), "the old decryption key stays");
      assertNotNull(fingerprint(renewed, "82"), "its successor in the first retired slot: " + renewed);
      assertTrue(openscObjects("123456").contains("Retired Certificate for Key Management 1"),
          "OpenSC finds the retired slot through the key-history object");
      openscSignatureVerifies(c.dir, "01", "123456");

      Cli retire = c.tokenroll("retire", enrollmentId(renew));
      assertEquals(0, retire.exitCode(), retire.toString());
      String retired = yubicoStatus();
      assertFalse(retired.contains("Slot 9a") || retired.contains("Slot 9d") || retired.contains("Slot 82"),
          "every certificate the enrollments wrote is gone: " + retired);
    }
  }

  /**
   * A template that diversifies the admin key and distributes the PIN: the server answers the card's challenge with
   * the default key, the card's management key becomes the server's diversified key, the card's PIN the server's;
   * a renewal later authenticates with the diversified key. The default key no longer opens the card.
   */
  @Test
  void diversifiedAdminKey_andServerPin_thenRenewalWithTheDiversifiedKey() throws Exception {
    try (Card c = Card.insert()) {
      Path serverPin = c.dir.resolve("server.pin");
      String id = c.enrolled("Virtual Smart Card", "--server-pin", "file:" + serverPin);
      assertTrue(c.journaled(id).adminKeyDiversified);
      assertNotEquals(DEFAULT_KEY, c.cardState("managementKey"), "the card's management key is the server's now");
      String pin = Files.readString(serverPin).strip();
      assertTrue(openscObjects(pin).contains("Certificate for PIV Authentication"), "the server's PIN opens it");
      try {
        Backends.run(List.of("yubico-piv-tool", "-r", READER, "-a", "generate", "-s", "9e", "-A", "ECCP256"),
            Map.of(), 60);
        fail("the default management key still authenticates");
      } catch (IllegalStateException refused) {
        assertTrue(refused.getMessage().toLowerCase().contains("authenticat"), refused.getMessage());
      }

      String before = fingerprint(yubicoStatus(), "9a");
      Cli renew = c.tokenroll("renew", id);
      assertEquals(0, renew.exitCode(), renew.toString());
      assertNotEquals(before, fingerprint(yubicoStatus(), "9a"), "renewed with the diversified key");
    }
  }

  /**
   * A PIN blocked by three wrong tries: a wrong PUK is refused with the PUK's tries left and not tried again; the
   * PUK and a new PIN unblock the card in one command, after which the new PIN opens it (OpenSC, tokenroll).
   */
  @Test
  void unblock_takesThePukAndTheNewPinInOneCommand() throws Exception {
    try (Card c = Card.insert()) {
      String id = c.enrolled("Smart Card Logon EC");
      String wrong = "0020008008" + "3939393939FFFFFF";
      String blocked = Backends.run(List.of("opensc-tool", "-r", READER, "-s", "00A4040009A00000030800001000", "-s",
          wrong, "-s", wrong, "-s", wrong), Map.of(), 30);
      assertTrue(blocked.contains("SW1=0x69, SW2=0x83"), blocked);
      Path newPin = Backends.writeSecret(c.dir.resolve("new.pin"), "24681357");

      Path wrongPuk = Backends.writeSecret(c.dir.resolve("wrong.puk"), "87654321");
      Cli refused = c.tokenroll("unblock", id, "--so-pin-source", "file:" + wrongPuk, "--new-pin-source",
          "file:" + newPin);
      assertNotEquals(0, refused.exitCode(), refused.toString());
      assertTrue(refused.err().contains("wrong PUK") && refused.err().contains("2 tries left"), refused.toString());
      assertEquals("2", c.cardState("pukTries"), "tried once, not again");
      Cli resumed = c.tokenroll("resume");
      assertEquals("2", c.cardState("pukTries"), "a resume does not try the refused PUK again: " + resumed);

      Path puk = Backends.writeSecret(c.dir.resolve("puk"), "12345678");
      Cli unblocked = c.tokenroll("unblock", id, "--so-pin-source", "file:" + puk, "--new-pin-source",
          "file:" + newPin);
      assertEquals(0, unblocked.exitCode(), unblocked.toString());
      assertTrue(openscObjects("24681357").contains("Certificate for PIV Authentication"));
      Cli objects = Cli.run("objects", "--module", "piv", "--pin-source", "file:" + newPin);
      assertEquals(0, objects.exitCode(), objects.toString());
      assertTrue(objects.out().contains("01"), objects.toString());
    }
  }

  /**
   * The background agent with a rule for any PIV card: nothing happens before a card comes; the card's insertion
   * (a PC/SC event, long before the 30-s scan) brings its enrollment through the PIV provider to completion.
   */
  @Test
  void theAgent_enrollsAPivCard_whenItIsInserted() throws Exception {
    Path dir = Backends.privateDirectory("tokenroll-piv-agent-");
    Path pin = Backends.writeSecret(dir.resolve("pin"), "123456");
    String json = """
        {"server": {"url": "%s", "trust": "%s",
                    "login": {"method": "basic", "user": "%s", "secretSource": "file:%s"}},
         "scanInterval": "PT30S", "pollInterval": "PT1S", "pollCeiling": "PT5S",
         "rules": [{"name": "piv", "module": "piv", "match": "pkcs11:token=PIV_II", "template": "Smart Card Logon EC",
                    "pinSource": "file:%s", "atr": "3B.*"}]}
        """.formatted(stack.server.baseUri(), stack.trust, stack.user, stack.password, pin);
    var cfg = io.tokenroll.agent.daemon.AgentConfig.read(Files.writeString(dir.resolve("agent.json"), json));
    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    FileJournal journal = new FileJournal(dir.resolve("state").resolve("enrollments"));
    var agent = new io.tokenroll.agent.daemon.Agent(cfg, journal, dir.resolve("state"), l -> log.add(l.text()),
        java.time.Clock.systemUTC());
    try (var readers = io.tokenroll.agent.daemon.CardReaders.start(agent::wake, log::add)) {
      agent.watch(readers);
      try (RunningAgent running = RunningAgent.start(agent, "agent-piv")) {
        Thread.sleep(1000);
        assertTrue(journal.all().isEmpty(), "no card, nothing done: " + log);
        try (Card c = Card.insert(dir)) {
          java.util.Optional<Enrollment> done = java.util.Optional.empty();
          for (int i = 0; i < 300 && done.isEmpty(); i++) {
            Thread.sleep(100);
            done = journal.all().stream()
                .filter(e -> e.state == io.tokenroll.agent.enroll.EnrollmentState.COMPLETED).findFirst();
          }
          assertTrue(done.isPresent(), "enrolled when the card came: " + log);
          assertEquals(java.nio.file.Path.of("piv"), done.get().token.module());
          assertTrue(yubicoStatus().contains("Slot 9a"), "its certificate in 9A");
        }
      }
    }
  }

  /**
   * A card pulled while its request waits for approval: the resumed enrollment parks until the card is back (the
   * journal untouched but for what it waits for), and finishes on the same card once it is reinserted.
   */
  @Test
  void aCardPulledWhileItsRequestWaits_parksUntilItIsBack() throws Exception {
    Path dir = Backends.privateDirectory("tokenroll-piv-pulled-");
    String id;
    Card first = Card.insert(dir);
    try {
      Cli pending = first.enroll("Smart Card Logon with Approval");
      id = enrollmentId(pending);
      assertEquals(io.tokenroll.agent.enroll.EnrollmentState.PENDING_APPROVAL, first.journaled(id).state);
    } finally {
      first.close();
    }
    stack.server.admin().approveRequest(first.journaled(id).requestId);
    Cli absent = first.tokenroll("resume", id);
    assertNotEquals(0, absent.exitCode(), absent.toString());
    Enrollment parked = first.journaled(id);
    assertEquals(io.tokenroll.agent.enroll.Waiting.TOKEN_ABSENT, parked.waiting, absent.toString());
    assertTrue(parked.keys.stream().allMatch(k -> k.publicKey == null), "no key was made anywhere");

    try (Card again = Card.insert(dir)) {
      Cli resumed = again.tokenroll("resume", id);
      assertEquals(0, resumed.exitCode(), resumed.toString());
      assertEquals(io.tokenroll.agent.enroll.EnrollmentState.COMPLETED, again.journaled(id).state);
      assertTrue(yubicoStatus().contains("Slot 9a"));
    }
  }

  static java.util.stream.Stream<String> cardTemplates() {
    return io.tokenroll.cmserver.BuiltInTemplates.profileTemplates().stream().filter(t -> t.smartcard())
        .map(t -> t.name());
  }

  /**
   * Every smart-card template cmserver ships, on a fresh virtual PIV card through the CLI, as on SoftHSM2 and
   * tpm2-pkcs11 (TemplateMatrixE2eTest): each certificate it installs sits in a slot with the key usage its entry
   * asked for; a server-generated (PFX) item fails by capability — a PIV card takes no imported key — and says so;
   * the CA's denial of an item leaves the other installed.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0} on a PIV card")
  @org.junit.jupiter.params.provider.MethodSource("cardTemplates")
  void everyCardTemplate_enrollsOnAPivCard(String name) throws Exception {
    var template = io.tokenroll.cmserver.BuiltInTemplates.profileTemplates().stream()
        .filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    try (Card c = Card.insert()) {
      Path serverPin = c.dir.resolve("server.pin");
      Cli run = c.enroll(name, "--server-pin", "file:" + serverPin);
      if (template.policies().get("Enroll").approvalsNeeded() > 0) {
        Enrollment e = new FileJournal(c.state.resolve("enrollments")).all().get(0);
        stack.server.admin().approveRequest(e.requestId);
        run = c.tokenroll("resume", e.id.value());
      }
      boolean denies = template.uuid().equals(io.tokenroll.cmserver.BuiltInTemplates.DENIED_BY_CA);
      long imported = template.certificates().stream()
          .filter(io.tokenroll.cmserver.mimcm.CertificateEntry::serverGenerated).count();
      if (!denies) {
        assertEquals(0, run.exitCode(), run.toString());
      }
      if (imported > 0) {
        assertTrue(run.out().contains("does not accept imported keys"), run.toString());
      }
      String pin = Files.exists(serverPin) ? Files.readString(serverPin).strip() : "123456";
      Cli objects = Cli.run("objects", "--module", "piv", "--json", "--pin-source",
          "file:" + (Files.exists(serverPin) ? serverPin : c.pin));
      assertEquals(0, objects.exitCode(), objects.toString());
      List<java.security.cert.X509Certificate> leaves = new ArrayList<>();
      try (var module = io.tokenroll.pkcs11.TokenModule.load(Path.of("piv"));
           var session = module.open(io.tokenroll.pkcs11.Pkcs11Uri.parse("pkcs11:"))) {
        session.find(new io.tokenroll.pkcs11.ObjectQuery(io.tokenroll.pkcs11.ObjectClass.CERTIFICATE, null, null))
            .forEach(o -> leaves.add(o.certificate()));
      }
      assertEquals(template.certificates().size() - (denies ? 1 : 0) - imported, leaves.size(), run.toString());
      for (var leaf : leaves) {
        boolean[] ku = leaf.getKeyUsage();
        assertTrue(template.certificates().stream().anyMatch(e -> TemplateMatrixE2eTest.asked(e, ku)),
            name + ": key usage " + java.util.Arrays.toString(ku) + " that no entry asked for");
      }
      assertTrue(openscObjects(pin).contains("Private Key Object"), "OpenSC reads it back");
    }
  }

  /**
   * The tokenroll process killed (SIGKILL) around the card's writes, then resumed: on a slot, generation again
   * overwrites what a crash left, so the enrollment completes with exactly its certificates in 9A and 9D, each
   * matching its slot's key (OpenSC signs, openssl verifies); killed after the server took the requests, it is
   * abandoned with nothing left in any slot.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "killed at {0} -> {1}")
  @org.junit.jupiter.params.provider.CsvSource({"GENERATING_KEY, COMPLETED", "GENERATING_KEY:done, COMPLETED",
      "NEED_SUBMIT, COMPLETED", "INSTALLING, COMPLETED", "INSTALLING:done, COMPLETED",
      "SUBMITTING:done, ABANDONED"})
  void killedAroundTheCardsWrites_thenResumed(String point, io.tokenroll.agent.enroll.EnrollmentState expected)
      throws Exception {
    try (Card c = Card.insert()) {
      List<String> args = c.enrollArgs("Smart Card Signing and Encryption");
      args.addAll(List.of("--state-dir", c.state.toString()));
      Process child = ChildProcess.start(Map.of("TOKENROLL_DEBUG_HALT", point), args);
      ChildProcess.awaitLine(child, "halted at " + point, 120);
      ChildProcess.kill(child);
      Enrollment killed = new FileJournal(c.state.resolve("enrollments")).all().get(0);
      assertFalse(killed.state.isFinal(), killed.state.toString());

      Cli resumed = c.tokenroll("resume", killed.id.value());
      assertEquals(expected, c.journaled(killed.id.value()).state, resumed.toString());
      String status = yubicoStatus();
      if (expected == io.tokenroll.agent.enroll.EnrollmentState.COMPLETED) {
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(status.contains("Slot 9a") && status.contains("Slot 9d"), status);
        assertEquals(2, status.split("Slot ", -1).length - 1, "its two certificates, no more: " + status);
        openscSignatureVerifies(c.dir, "01", "123456");
      } else {
        assertFalse(status.contains("Slot "), "nothing left in any slot: " + status);
      }
    }
  }

  /**
   * A helpdesk's two readers, a PIV card in each (vpcd's second reader listens on 35964): {@code --readers} with
   * one reader's name enrolls only its card; {@code --readers all} then enrolls the other and skips the one enrolled
   * — each report row names its card by its GUID — and yubico-piv-tool finds a certificate in 9A of each.
   */
  @Test
  void provision_enrollsThePivCardsOfTheReadersNamed() throws Exception {
    Path dir = Backends.privateDirectory("tokenroll-piv-provision-");
    Path pin = Backends.writeSecret(dir.resolve("pin"), "123456");
    try (Card first = Card.insert(dir.resolve("first"));
         VirtualPivCard second = VirtualPivCard.insert(35964, dir.resolve("second").resolve("card"))) {
      for (int i = 0; i < 100 && !Backends.run(List.of("opensc-tool", "-l"), Map.of(), 30)
          .matches("(?s).*1\\s+Yes.*"); i++) {
        Thread.sleep(100);
      }
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      String secondGuid;
      try (var module = io.tokenroll.pkcs11.TokenModule.load(Path.of("piv"))) {
        secondGuid = module.tokens().stream().filter(t -> t.slotDescription().equals("Virtual PCD 00 01"))
            .findFirst().orElseThrow().serial();
      }
      Map<String, String> outcomes = new java.util.HashMap<>();
      for (String readers : List.of("Virtual PCD 00 01", "all")) {
        Path report = dir.resolve("report-" + outcomes.size() + ".json");
        Cli run = Cli.run("provision", "--server", stack.server.baseUri().toString(), "--template",
            "Smart Card Logon EC", "--readers", readers, "--pin-source", "file:" + pin, "--user", stack.user,
            "--password-source", "file:" + stack.password, "--trust", stack.trust.toString(), "--state-dir",
            dir.resolve("state").toString(), "--report", report.toString());
        assertEquals(0, run.exitCode(), run.toString());
        var rows = json.readTree(report.toFile());
        assertEquals(readers.equals("all") ? 2 : 1, rows.size(), rows.toString());
        if (!readers.equals("all")) {
          assertEquals(secondGuid, rows.get(0).get("serial").asText(), "the named reader's card, and only it");
        }
        rows.forEach(r -> outcomes.merge(r.get("serial").asText(), r.get("outcome").asText(), (a, b) -> a + "," + b));
      }
      assertEquals(2, outcomes.size(), "two cards, each by its own GUID: " + outcomes);
      assertTrue(outcomes.containsValue("ENROLLED,SKIPPED") && outcomes.containsValue("ENROLLED"), outcomes.toString());
      for (String reader : List.of(READER, "Virtual PCD 00 01")) {
        String status = yubicoStatus(reader);
        assertTrue(status.contains("Slot 9a"), reader + ": " + status);
      }
    }
  }

  /**
   * keygen on a PIV card outside an enrollment: refused with what to give when no management key is given; with the
   * key from a file it generates into the slot the id names, and the card's answer is the printed public key.
   */
  @Test
  void keygen_onAPivCard_needsTheManagementKeyFromASource() throws Exception {
    try (Card c = Card.insert()) {
      Cli refused = Cli.run("keygen", "--module", "piv", "--type", "EC-P256", "--label", "sig", "--id", "02",
          "--pin-source", "file:" + c.pin, "--state-dir", c.state.toString());
      assertEquals(ExitCodes.INVALID_INPUT, refused.exitCode(), refused.toString());
      assertTrue(refused.err().contains("--admin-key-source"), refused.toString());
      Path key = Backends.writeSecret(c.dir.resolve("management.key"), DEFAULT_KEY);
      Cli made = Cli.run("keygen", "--module", "piv", "--type", "EC-P256", "--label", "sig", "--id", "02",
          "--pin-source", "file:" + c.pin, "--admin-key-source", "file:" + key, "--state-dir", c.state.toString());
      assertEquals(0, made.exitCode(), made.toString());
      assertTrue(made.out().contains("id=02") && made.out().contains("BEGIN PUBLIC KEY"), made.toString());
      assertNotNull(c.cardState("key.9c.public"), "the key is in 9C");
      assertTrue(c.cardState("key.9c.public").toLowerCase().contains(
          java.util.HexFormat.of().formatHex(io.tokenroll.agent.encoding.Pem.decode(made.out().substring(
              made.out().indexOf("-----BEGIN"))).get(0).der()).substring(60)), "the printed key is the card's");
    }
  }

  /**
   * A renewal the server refuses after its key overwrote the old one in 9A: the renewal is abandoned, 9A's dead
   * certificate is cleared, and the renewed enrollment no longer claims the key — nothing on the card says otherwise.
   */
  @Test
  void aRefusedRenewal_clearsTheSlotItOverwrote_andTheRenewedEnrollmentForgetsIt() throws Exception {
    try (Card c = Card.insert()) {
      String id = c.enrolled("Smart Card Logon EC");
      assertTrue(yubicoStatus().contains("Slot 9a"));
      stack.server.faults().replaceResponse("POST", "/certificatedata$", 1, 403, "application/json",
          "{\"Message\":\"not for you\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Cli renew = c.tokenroll("renew", id);
      assertNotEquals(0, renew.exitCode(), renew.toString());
      Enrollment renewal = new FileJournal(c.state.resolve("enrollments")).all().stream()
          .filter(e -> e.workflow == io.tokenroll.agent.enroll.Workflow.RENEW).findFirst().orElseThrow();
      assertEquals(io.tokenroll.agent.enroll.EnrollmentState.ABANDONED, renewal.state, renew.toString());
      assertFalse(yubicoStatus().contains("Slot 9a"), "the certificate of the overwritten key is gone");
      Enrollment renewed = c.journaled(id);
      assertFalse(renewed.installedKeyIds.contains("01"), "the renewed enrollment no longer claims 9A");
      assertEquals(renewal.id, renewed.supersededBy, "nothing of it is left on the card");
    }
  }
}
