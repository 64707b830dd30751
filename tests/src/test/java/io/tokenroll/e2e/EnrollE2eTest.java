package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.testing.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The whole MIM CM flow: the real CLI, a real SoftHSM2 token, a real cmserver over HTTPS. */
class EnrollE2eTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode status(Stack s, String id) throws Exception {
    return JSON.readTree(s.cli("status", id, "--json").out());
  }

  private static String enrollmentId(Cli run) {
    var m = java.util.regex.Pattern.compile("enrollment (\\S+) \\(").matcher(run.out());
    assertTrue(m.find(), run.toString());
    return m.group(1);
  }

  /** Leaf and key share CKA_ID, the leaf's public key is the key's, and openssl verifies the chain. */
  private static void assertInstalled(Stack s, int expectedLeaves) throws Exception {
    List<TokenObject> certs = s.objects(ObjectClass.CERTIFICATE);
    List<TokenObject> leaves = certs.stream().filter(c -> c.category() == CertificateCategory.USER).toList();
    assertEquals(expectedLeaves, leaves.size(), certs.toString());
    for (TokenObject leaf : leaves) {
      TokenObject priv = s.objects(ObjectClass.PRIVATE_KEY).stream().filter(k -> k.id().equals(leaf.id()))
          .findFirst().orElseThrow(() -> new AssertionError("no private key with the leaf's CKA_ID " + leaf.id()));
      assertFalse(priv.flags().contains(TokenObject.Flag.EXTRACTABLE));
      assertEquals(KeyId.subjectKeyIdOf(leaf.certificate().getPublicKey()), leaf.id(), "CKA_ID = SKI");
      try (var session = s.token.open()) {
        assertEquals(session.publicKey(leaf.id()), leaf.certificate().getPublicKey());
      }
      Path der = s.dir.resolve("leaf-" + leaf.id() + ".der");
      s.pkcs11Tool("--read-object", "--type", "cert", "--id", leaf.id().hex(), "--output-file", der.toString());
      Path pem = s.dir.resolve("leaf-" + leaf.id() + ".pem");
      Files.writeString(pem, Pem.encode("CERTIFICATE", Files.readAllBytes(der)));
      String verify = Backends.run(List.of("openssl", "verify", "-CAfile", s.trust.toString(), pem.toString()),
          Map.of(), 30);
      assertTrue(verify.contains(": OK"), verify);
    }
    assertTrue(certs.stream().anyMatch(c -> c.category() == CertificateCategory.AUTHORITY), "CA certificates");
  }

  @Test
  void enroll_rsa2048_installsLeafAndChainAndCompletesTheRequest() throws Exception {
    try (Stack s = new Stack("e2e-rsa")) {
      Cli run = s.enroll("Smart Card Logon");
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("COMPLETED"), run.out());
      assertInstalled(s, 1);
      assertTrue(s.pkcs11Tool("-O").contains("Smart Card Logon"));
      JsonNode st = status(s, enrollmentId(run));
      assertEquals("COMPLETED", st.get("state").asText());
      UUID request = UUID.fromString(st.get("request").asText());
      assertEquals("Completed", s.server.admin().requests().stream().filter(r -> r.uuid().equals(request))
          .findFirst().orElseThrow().status());
      try (var claims = Files.list(s.state.resolve("enrollments").resolve("claims"))) {
        assertEquals(0, claims.count(), "the claim file of a finished enrollment is gone (hostile-test finding 11)");
      }
    }
  }

  /**
   * The classic two-key card (issue 10): a signing key and an encryption-only or key-agreement-only key. The second
   * signs its own request (proof of possession) and then loses the right to sign; each certificate's key usage is
   * what the template asked for.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0} on {3}")
  @org.junit.jupiter.params.provider.CsvSource({
      "Smart Card Signing and Encryption, 2, DECRYPT, softhsm2",
      "Smart Card EC Signing and Key Agreement, 4, DERIVE, softhsm2",
      "Smart Card Signing and Encryption, 2, DECRYPT, tpm2-pkcs11",
      "Smart Card EC Signing and Key Agreement, 4, DERIVE, tpm2-pkcs11"})
  void twoKeyCard_encryptionKeySignsOnlyItsRequest_andUsagesAreAsAsked(String template, int usageBit,
      TokenObject.Flag encryptionFlag, String backend) throws Exception {
    io.tokenroll.pkcs11.testing.TestToken token = backend.equals("tpm2-pkcs11")
        ? io.tokenroll.pkcs11.testing.Tpm2Pkcs11.get().newToken("e2e-two-keys")
        : io.tokenroll.pkcs11.testing.SoftHsm2.get().newToken("e2e-two-keys");
    try (Stack s = new Stack(token, null)) {
      Cli run = s.enroll(template);
      assertEquals(0, run.exitCode(), run.toString());
      assertInstalled(s, 2);
      int encipherOrAgree = usageBit == 2 ? 2 : 4; // KeyUsage bits: keyEncipherment (2), keyAgreement (4)
      int signing = 0;
      int encryption = 0;
      for (TokenObject leaf : s.objects(ObjectClass.CERTIFICATE).stream()
          .filter(c -> c.category() == CertificateCategory.USER).toList()) {
        boolean[] ku = leaf.certificate().getKeyUsage();
        TokenObject priv = s.objects(ObjectClass.PRIVATE_KEY).stream().filter(k -> k.id().equals(leaf.id()))
            .findFirst().orElseThrow();
        if (ku[0]) { // digitalSignature
          signing++;
          assertTrue(priv.flags().contains(TokenObject.Flag.SIGN), priv.flags().toString());
        } else {
          encryption++;
          assertTrue(ku[encipherOrAgree], "the encryption certificate's key usage: " + java.util.Arrays.toString(ku));
          assertTrue(priv.flags().contains(encryptionFlag), priv.flags().toString());
          boolean restrictable = !s.backend().equals("tpm2-pkcs11"); // TPM keys always sign (docs/tokens.md)
          assertEquals(!restrictable, priv.flags().contains(TokenObject.Flag.SIGN),
              "it signed its request, and no more where the token allows: " + priv.flags());
        }
      }
      assertEquals(1, signing);
      assertEquals(1, encryption);
    }
  }

  /** Hostile-test finding 5: the message said "kept … resume X", and resume X said there was no X. */
  @Test
  void aWrongPasswordOnANewEnrollment_saysNothingWasKept_andNothingIs() throws Exception {
    try (Stack s = new Stack("e2e-new-401")) {
      Path wrong = Backends.writeSecret(s.dir.resolve("wrong.password"), "not-the-password");
      List<String> args = s.enrollArgs("Smart Card Logon");
      args.set(args.indexOf("file:" + s.password), "file:" + wrong);
      Cli run = Cli.run(args.toArray(String[]::new));
      assertEquals(ExitCodes.FAILED, run.exitCode(), run.toString());
      assertTrue(run.err().contains("401") && run.err().contains("nothing was kept"), run.err());
      assertFalse(run.err().contains("is kept"), run.err());
      assertTrue(new io.tokenroll.agent.journal.FileJournal(s.state.resolve("enrollments")).all().isEmpty());
      assertTrue(s.objects().isEmpty());
    }
  }

  /** A journal of an older version that kept a password in the server URL: resume takes it out and goes on. */
  @Test
  void aJournaledUrlWithAPassword_isScrubbedOnResume() throws Exception {
    try (Stack s = new Stack("e2e-old-journal")) {
      String id = enrollmentId(s.enroll("Smart Card Logon with Approval"));
      var journal = new io.tokenroll.agent.journal.FileJournal(s.state.resolve("enrollments"));
      var e = journal.get(new io.tokenroll.agent.enroll.EnrollmentId(id)).orElseThrow();
      e.server = e.server.replace("https://", "https://alice:0ldSecret@");
      journal.store(e);
      s.server.admin().approveRequest(e.requestId);
      Cli resumed = s.cli("resume", id);
      assertEquals(0, resumed.exitCode(), resumed.toString());
      assertTrue(resumed.err().contains("removed the user and password"), resumed.err());
      assertFalse(Files.readString(s.state.resolve("enrollments").resolve(id + ".json")).contains("0ldSecret"));
      assertFalse(resumed.toString().contains("0ldSecret"));
    }
  }

  /** Hostile-test finding 7: a password in --server was accepted, used and written to the journal. */
  @Test
  void aPasswordInTheServerUrl_isRefused_neverStored() throws Exception {
    try (Stack s = new Stack("e2e-url-password")) {
      List<String> args = s.enrollArgs("Smart Card Logon");
      String base = s.server.baseUri().toString();
      args.set(args.indexOf(base), base.replace("https://", "https://alice:Secr3tInUrl@"));
      Cli run = Cli.run(args.toArray(String[]::new));
      assertEquals(ExitCodes.INVALID_INPUT, run.exitCode(), run.toString());
      assertFalse(run.toString().contains("Secr3tInUrl"), run.toString());
      assertTrue(run.err().contains("--password-source"), run.err());
      assertFalse(Files.exists(s.state.resolve("enrollments")) && new io.tokenroll.agent.journal.FileJournal(
          s.state.resolve("enrollments")).all().size() > 0, "nothing journaled");
      assertTrue(s.server.admin().requests().isEmpty(), "nothing sent");
    }
  }

  @Test
  void enroll_ecP256() throws Exception {
    try (Stack s = new Stack("e2e-ec")) {
      Cli run = s.enroll("Smart Card Logon EC", "--json");
      assertEquals(0, run.exitCode(), run.toString());
      JsonNode v = JSON.readTree(run.out());
      assertEquals("EC-P256", v.get("keys").get(0).get("keySpec").asText());
      assertInstalled(s, 1);
    }
  }

  /** Resuming everything, an enrollment whose token is gone fails alone: the next one still finishes. */
  @Test
  void resumeOfAll_goesPastAnAbsentToken() throws Exception {
    try (Stack s = new Stack("e2e-resume-all")) {
      Cli onGone = s.enroll("Smart Card Logon with Approval");
      assertEquals(ExitCodes.UNEXPECTED_STATE, onGone.exitCode(), onGone.toString());
      Cli onHere = s.enroll("Smart Card Logon with Approval");
      assertEquals(ExitCodes.UNEXPECTED_STATE, onHere.exitCode(), onHere.toString());
      String here = enrollmentId(onHere);
      // the first one's card is taken away: its journal names a token no longer there (the shared SoftHSM2 store
      // of this JVM must not lose a token under it)
      takeAway(s, enrollmentId(onGone));
      s.server.admin().requests().forEach(r -> s.server.admin().approveRequest(r.uuid()));
      Cli all = s.cli("resume");
      assertNotEquals(0, all.exitCode(), "the card that is gone is this run's failure: " + all);
      assertEquals("COMPLETED", status(s, here).get("state").asText(), all.toString());
    }
  }

  /**
   * Cards lost mid-enrollment. One whose request waits for approval holds nothing of it yet: abandon cancels the
   * request without it. One that holds the enrollment's key (its submission lost on the way): abandon waits for the
   * card and leaves the request as it is; with --token-lost it gives the request up without the card, and the
   * journal says the key stays on it.
   */
  @Test
  void abandon_ofALostCard_givesUpTheRequestWithoutIt() throws Exception {
    try (Stack s = new Stack("e2e-lost-card")) {
      String pending = enrollmentId(s.enroll("Smart Card Logon with Approval"));
      UUID pendingRequest = takeAway(s, pending);
      Cli canceled = s.cli("abandon", pending);
      assertEquals(0, canceled.exitCode(), "nothing on the card to look for: " + canceled);
      assertEquals("Canceled", requestStatus(s, pendingRequest));

      s.server.faults().dropConnection("POST", "/certificatedata$", 1);
      String keyed = enrollmentId(s.enroll("Smart Card Logon", "--retries", "1"));
      assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size(), "its key is on the card");
      UUID keyedRequest = takeAway(s, keyed);
      Cli waits = s.cli("abandon", keyed);
      assertEquals(ExitCodes.TOKEN_NOT_FOUND, waits.exitCode(), waits.toString());
      assertNotEquals("Abandoned", requestStatus(s, keyedRequest), "nothing given up while the card is looked for");

      Cli given = s.cli("abandon", keyed, "--token-lost");
      assertEquals(0, given.exitCode(), given.toString());
      assertEquals("Abandoned", requestStatus(s, keyedRequest));
      JsonNode st = status(s, keyed);
      assertEquals("ABANDONED", st.get("state").asText(), st.toString());
      assertTrue(st.toString().contains("said to be lost") && st.toString().contains("stay on it")
          && st.toString().contains("may have issued certificates") && st.toString().contains("have them revoked"),
          st.toString());
    }
  }

  /** The card of an enrollment taken away: its journal names a token no longer there (not deleted under the JVM). */
  private static UUID takeAway(Stack s, String id) throws Exception {
    var journal = new io.tokenroll.agent.journal.FileJournal(s.state.resolve("enrollments"));
    var e = journal.find(id).orElseThrow();
    e.token = new io.tokenroll.pkcs11.TokenRef(e.token.module(), e.token.moduleArgs(), "lost-" + s.token.label(),
        "0000000000000000");
    journal.store(e);
    return e.requestId;
  }

  private static String requestStatus(Stack s, UUID request) {
    return s.server.admin().requests().stream().filter(r -> r.uuid().equals(request)).findFirst().orElseThrow()
        .status();
  }

  @Test
  void enroll_pendingThenApproved_resumeCompletes() throws Exception {
    try (Stack s = new Stack("e2e-pending")) {
      Cli first = s.enroll("Smart Card Logon with Approval");
      assertEquals(ExitCodes.UNEXPECTED_STATE, first.exitCode(), first.toString());
      assertTrue(first.err().contains("waits for approval"), first.err());
      String id = enrollmentId(first);
      JsonNode st = status(s, id);
      assertEquals("PENDING_APPROVAL", st.get("state").asText());
      assertTrue(st.get("waitingFor").asText().startsWith("approval of request"), st.toString());
      assertTrue(s.objects(ObjectClass.PRIVATE_KEY).isEmpty(), "no key before approval");

      Cli stillPending = s.cli("resume", id);
      assertEquals(ExitCodes.UNEXPECTED_STATE, stillPending.exitCode());

      s.server.admin().approveRequest(UUID.fromString(st.get("request").asText()));
      Cli resumed = s.cli("resume", id);
      assertEquals(0, resumed.exitCode(), resumed.toString());
      assertInstalled(s, 1);
    }
  }

  @Test
  void enroll_denied_endsWithAClearMessageAndNothingOnTheToken() throws Exception {
    try (Stack s = new Stack("e2e-denied")) {
      Cli first = s.enroll("Smart Card Logon with Approval");
      String id = enrollmentId(first);
      s.server.admin().denyRequest(UUID.fromString(status(s, id).get("request").asText()), "not today");
      Cli resumed = s.cli("resume", id);
      assertEquals(ExitCodes.UNEXPECTED_STATE, resumed.exitCode(), resumed.toString());
      assertTrue(resumed.err().contains("was denied"), resumed.err());
      assertEquals("DENIED", status(s, id).get("state").asText());
      assertTrue(s.objects().isEmpty());
    }
  }

  @Test
  void enroll_serverGeneratedKey_isImportedFromThePfx() throws Exception {
    try (Stack s = new Stack("e2e-pfx")) {
      Cli run = s.enroll("Smart Card with Key Recovery", "--json");
      assertEquals(0, run.exitCode(), run.toString());
      JsonNode items = JSON.readTree(run.out()).get("items");
      assertEquals(2, items.size(), run.out());
      assertTrue(items.toString().contains("server-generated key"), items.toString());
      assertInstalled(s, 2);
      assertEquals(2, s.objects(ObjectClass.PRIVATE_KEY).size());
    }
  }

  @Test
  void enroll_oneItemDeniedByTheCa_installsTheOtherAndLeavesNoOrphanKey() throws Exception {
    try (Stack s = new Stack("e2e-partial")) {
      Cli run = s.enroll("Denied by CA", "--json");
      assertEquals(0, run.exitCode(), run.toString());
      JsonNode items = JSON.readTree(run.out()).get("items");
      assertEquals("INSTALLED", items.get(0).get("result").asText());
      assertEquals("FAILED", items.get(1).get("result").asText());
      assertTrue(items.get(1).get("detail").asText().contains("server reports"), items.toString());
      assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size(), "the refused request's key is removed");
      assertInstalled(s, 1);
    }
  }

  @Test
  void ksp_mappedToThisToken_enrolls_mappedToAnother_isRefusedBeforeAnyKey() throws Exception {
    String ksp = "Microsoft Smart Card Key Storage Provider";
    try (Stack s = new Stack("e2e-ksp")) {
      Cli elsewhere = s.enroll("Smart Card Logon", "--ksp", ksp + "=pkcs11:token=some-other-card");
      assertEquals(ExitCodes.FAILED, elsewhere.exitCode(), elsewhere.toString());
      assertTrue(elsewhere.err().contains("mapped to pkcs11:token=some-other-card"), elsewhere.err());
      assertTrue(s.objects().isEmpty(), "no key was generated");
      Cli here = s.enroll("Smart Card Logon", "--ksp", ksp + "=pkcs11:token=" + s.token.label());
      assertEquals(0, here.exitCode(), here.toString());
      assertInstalled(s, 1);
    }
  }

  @Test
  void enroll_sha1Template_warnsAndSignsWithSha1() throws Exception {
    try (Stack s = new Stack("e2e-sha1")) {
      Cli run = s.enroll("Smart Card Logon SHA1");
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(run.err().contains("SHA-1 is weak"), run.err());
    }
  }

  @Test
  void renew_replacesTheSigningKeyAndCertificate() throws Exception {
    try (Stack s = new Stack("e2e-renew")) {
      String first = enrollmentId(s.enroll("Smart Card Logon"));
      X509Certificate oldLeaf = s.objects(ObjectClass.CERTIFICATE).stream()
          .filter(c -> c.category() == CertificateCategory.USER).findFirst().orElseThrow().certificate();
      Cli renew = s.cli("renew", first);
      assertEquals(0, renew.exitCode(), renew.toString());
      List<TokenObject> leaves = s.objects(ObjectClass.CERTIFICATE).stream()
          .filter(c -> c.category() == CertificateCategory.USER).toList();
      assertEquals(1, leaves.size(), "the old certificate is gone");
      assertNotEquals(oldLeaf, leaves.get(0).certificate());
      assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size(), "the old signing key is gone");
      assertInstalled(s, 1);
      assertTrue(status(s, first).get("supersededBy").asText().length() > 0);
    }
  }

  @Test
  void renew_keepsTheRecoveredKeyAsHistory_thenRetireRemovesBothGenerations() throws Exception {
    try (Stack s = new Stack("e2e-renew-history")) {
      String first = enrollmentId(s.enroll("Smart Card with Key Recovery"));
      List<TokenObject> before = s.objects(ObjectClass.PRIVATE_KEY);
      assertEquals(2, before.size());
      Cli renew = s.cli("renew", first);
      assertEquals(0, renew.exitCode(), renew.toString());
      List<KeyId> after = s.objects(ObjectClass.PRIVATE_KEY).stream().map(TokenObject::id).toList();
      assertEquals(3, after.size(), "new signing key, new server-generated key, and the old one kept as history");
      long kept = before.stream().filter(k -> after.contains(k.id())).count();
      assertEquals(1, kept, "of the old keys only the server-generated (recovered) one stays");
      assertInstalled(s, 3);
      String renewal = enrollmentId(renew);
      Cli retire = s.cli("retire", renewal);
      assertEquals(0, retire.exitCode(), retire.toString());
      assertTrue(s.objects().isEmpty(), "retire removes both generations: " + s.objects());
    }
  }

  /** A request still waiting for approval is canceled when its enrollment is abandoned: a later approval is moot. */
  @Test
  void abandoningAPendingEnrollment_cancelsItsRequest_andAnEmptyIdNamesNone() throws Exception {
    try (Stack s = new Stack("e2e-abandon-pending")) {
      Cli pending = s.enroll("Smart Card Logon with Approval");
      assertEquals(ExitCodes.UNEXPECTED_STATE, pending.exitCode(), pending.toString());
      String id = enrollmentId(pending);
      Cli empty = s.cli("abandon", "");
      assertEquals(ExitCodes.INVALID_INPUT, empty.exitCode(), "an unset variable names no enrollment: " + empty);
      assertEquals("PENDING_APPROVAL", status(s, id).get("state").asText());
      Cli abandon = s.cli("abandon", id);
      assertEquals(0, abandon.exitCode(), abandon.toString());
      assertEquals("Canceled", s.server.admin().requests().stream().filter(r -> r.type().equals("Enroll"))
          .findFirst().orElseThrow().status());
    }
  }

  @Test
  void abandon_afterInstallation_removesKeysPfxKeysAndCaCertificates_andTellsTheServer() throws Exception {
    try (Stack s = new Stack("e2e-abandon")) {
      s.server.faults().dropConnection("PUT", "/requests/[0-9a-f-]+$", 1);
      Cli stuck = s.enroll("Smart Card with Key Recovery", "--retries", "1");
      assertEquals(ExitCodes.UNEXPECTED_STATE, stuck.exitCode(), stuck.toString());
      String id = enrollmentId(stuck);
      assertEquals("NEED_COMPLETE", status(s, id).get("state").asText());
      assertEquals(2, s.objects(ObjectClass.PRIVATE_KEY).size(), "installed before the server was told");
      Cli abandon = s.cli("abandon", id);
      assertEquals(0, abandon.exitCode(), abandon.toString());
      assertTrue(s.objects().isEmpty(), "nothing of the enrollment is left: " + s.objects());
      assertEquals("Abandoned", s.server.admin().requests().stream().filter(r -> r.type().equals("Enroll"))
          .findFirst().orElseThrow().status());
    }
  }

  @Test
  void anEnrollmentRunByAnotherProcess_isNotRunTwice() throws Exception {
    try (Stack s = new Stack("e2e-claim")) {
      s.server.faults().dropConnection("PUT", "/requests/[0-9a-f-]+$", 1);
      String id = enrollmentId(s.enroll("Smart Card Logon", "--retries", "1"));
      var journal = new io.tokenroll.agent.journal.FileJournal(s.state.resolve("enrollments"));
      // this JVM runs it: a child process may not
      try (var held = journal.claim(new io.tokenroll.agent.enroll.EnrollmentId(id)).orElseThrow()) {
        Cli other = ChildProcess.run(java.util.Map.of(), List.of("resume", id, "--state-dir", s.state.toString()));
        assertEquals(ExitCodes.UNEXPECTED_STATE, other.exitCode(), other.toString());
        assertTrue(other.out().contains("being run by another tokenroll process"), other.out());
        Cli abandon = s.cli("abandon", id);
        assertEquals(ExitCodes.UNEXPECTED_STATE, abandon.exitCode(), abandon.toString());
      }
      assertEquals("NEED_COMPLETE", status(s, id).get("state").asText(), "untouched while claimed");
      assertEquals(0, s.cli("resume", id).exitCode(), "claimable again once released");
      assertEquals("COMPLETED", status(s, id).get("state").asText());
    }
  }

  @Test
  void enroll_authenticatedByATlsClientCertificate_theCertificatesUserIsTheOriginator() throws Exception {
    try (Stack s = new Stack("e2e-client-cert")) {
      // alice's client certificate, from the CA with a software key (as a user's browser would have one)
      java.security.KeyPair key = CertsrvCsrs.rsa();
      Path softCsr = s.dir.resolve("soft.csr");
      Files.writeString(softCsr, CertsrvCsrs.pem(key));
      Cli issued = Cli.run("ca", "submit", softCsr.toString(), "--template", "User", "--json", "--config",
          s.server.baseUri() + "certsrv", "--user", s.user, "--password-source", "file:" + s.password, "--trust",
          s.trust.toString());
      assertEquals(0, issued.exitCode(), issued.toString());
      X509Certificate leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(JSON.readTree(issued.out()).get("certificates")
              .get(0).get("pem").asText().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      String p12Password = Backends.randomHex(12);
      Path p12Pw = Backends.writeSecret(s.dir.resolve("p12.password"), p12Password);
      Path p12 = s.dir.resolve("alice.p12");
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("alice", key.getPrivate(), p12Password.toCharArray(), new java.security.cert.Certificate[] {
          leaf, s.server.trustAnchors().get(1), s.server.trustAnchors().get(0)});
      try (var o = Files.newOutputStream(p12)) {
        ks.store(o, p12Password.toCharArray());
      }

      Cli run = Cli.run("enroll", "--server", s.server.baseUri().toString(), "--template", "Smart Card Logon",
          "--token", s.token.label(), "--pin-source", "file:" + s.token.userPinFile(), "--client-cert",
          p12.toString(), "--client-cert-password-source", "file:" + p12Pw, "--trust", s.trust.toString(),
          "--state-dir", s.state.toString());
      assertEquals(0, run.exitCode(), run.toString());
      assertInstalled(s, 1);
      assertEquals("alice", s.server.admin().requests().stream().filter(r -> r.type().equals("Enroll"))
          .findFirst().orElseThrow().originator().toLowerCase(), "the certificate's user made the request");
      assertFalse(run.out().contains(p12Password) || run.err().contains(p12Password));
    }
  }

  @Test
  void pendingThenCanceledOnTheServer_resumeEndsCanceled_withNothingOnTheToken() throws Exception {
    try (Stack s = new Stack("e2e-canceled")) {
      Cli pending = s.enroll("Smart Card Logon with Approval", "--json");
      assertEquals(ExitCodes.UNEXPECTED_STATE, pending.exitCode(), pending.toString());
      JsonNode v = JSON.readTree(pending.out());
      var cm = new io.tokenroll.agent.mimcm.MimCmClient(new io.tokenroll.agent.http.HttpTransport(s.server.baseUri(),
          io.tokenroll.agent.http.TlsSettings.verifying(s.server.trustAnchors()),
          io.tokenroll.agent.http.Credentials.basic(s.user, Backends.readSecret(s.password).toCharArray()),
          io.tokenroll.agent.http.RetryPolicy.NONE, java.time.Duration.ofSeconds(20), 1 << 20));
      cm.updateStatus(UUID.fromString(v.get("request").asText()), "Canceled"); // the user withdraws it elsewhere
      Cli resumed = s.cli("resume", v.get("id").asText());
      assertEquals(ExitCodes.UNEXPECTED_STATE, resumed.exitCode(), resumed.toString());
      assertEquals("CANCELED", status(s, v.get("id").asText()).get("state").asText());
      assertTrue(resumed.err().contains("Canceled on the server"), resumed.err());
      assertTrue(s.objects().isEmpty(), "no key was made for it");
    }
  }

  @Test
  void abandon_leavesTheCaCertificateTheCardAlreadyHad() throws Exception {
    try (Stack s = new Stack("e2e-abandon-preloaded")) {
      java.security.cert.X509Certificate root = s.server.trustAnchors().get(0);
      try (var session = s.token.open()) { // the card comes with the corporate root
        session.storeCertificate(root, KeyId.subjectKeyIdOf(root.getPublicKey()), "corporate root",
            CertificateCategory.AUTHORITY);
      }
      s.server.faults().dropConnection("PUT", "/requests/[0-9a-f-]+$", 1);
      String id = enrollmentId(s.enroll("Smart Card Logon", "--retries", "1"));
      Cli abandoned = s.cli("abandon", id);
      assertEquals(0, abandoned.exitCode(), abandoned.toString());
      assertTrue(abandoned.out().contains("(Abandoned)"), "the request's status as it is now (hostile-test finding "
          + "12), not as it was: " + abandoned.out());
      List<TokenObject> left = s.objects();
      assertEquals(1, left.size(), "only what the card had before: " + left);
      assertEquals(root, left.get(0).certificate());
    }
  }

  @Test
  void aWrongPasswordOnResume_keepsTheEnrollment_theRightOneCompletesIt() throws Exception {
    try (Stack s = new Stack("e2e-wrong-password")) {
      s.server.faults().dropConnection("POST", "/certificatedata$", 1);
      String id = enrollmentId(s.enroll("Smart Card Logon", "--retries", "1"));
      assertEquals("SUBMIT_UNCERTAIN", status(s, id).get("state").asText());
      Path wrong = Backends.writeSecret(s.dir.resolve("wrong.password"), "not-the-password");
      Cli denied = s.cli("resume", id, "--password-source", "file:" + wrong);
      assertEquals(ExitCodes.FAILED, denied.exitCode(), denied.toString());
      assertTrue(denied.err().contains("401") && denied.err().contains("is kept"), denied.err());
      assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size(), "the key stays: a typo costs nothing");
      Cli resumed = s.cli("resume", id, "--password-source", "file:" + s.password);
      assertEquals(0, resumed.exitCode(), resumed.toString());
      assertInstalled(s, 1);
    }
  }

  @Test
  void aTokenCommandWaitsWhileAnotherProcessWritesToTheToken() throws Exception {
    try (Stack s = new Stack("e2e-token-lock")) {
      Process keygen;
      try (var held = io.tokenroll.agent.journal.TokenLock.acquire(
          io.tokenroll.agent.journal.TokenLock.defaultDirectory(), s.token.library().toString(), s.token.label(),
          s.token.info().serial())) {
        keygen = ChildProcess.start(Map.of(), List.of("keygen", "--token", s.token.label(), "--pin-source",
            "file:" + s.token.userPinFile(), "--type", "EC-P256", "--label", "waited", "--state-dir",
            s.state.toString()));
        Thread.sleep(2500);
        assertTrue(keygen.isAlive(), "the child waits for the lock");
        assertTrue(s.objects().isEmpty(), "and has written nothing yet");
      }
      assertTrue(keygen.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "it goes on once the lock is free");
      assertEquals(0, keygen.exitValue());
      assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size());
    }
  }

  @Test
  void unblock_setsANewUserPinThroughTheSecurityOfficer() throws Exception {
    try (Stack s = new Stack("e2e-unblock")) {
      String first = enrollmentId(s.enroll("Smart Card Logon"));
      Path newPin = Backends.writeSecret(s.dir.resolve("new.pin"), "24681357");
      Cli run = s.cli("unblock", first, "--so-pin-source", "file:" + s.token.soPinFile(), "--new-pin-source",
          "file:" + newPin);
      assertEquals(0, run.exitCode(), run.toString());
      Cli oldPin = Cli.run("objects", "--token", s.token.label(), "--pin-source", "file:" + s.token.userPinFile());
      assertEquals(ExitCodes.PIN_INCORRECT, oldPin.exitCode(), oldPin.toString());
      Cli withNew = Cli.run("objects", "--token", s.token.label(), "--pin-source", "file:" + newPin);
      assertEquals(0, withNew.exitCode(), withNew.toString());
      Files.writeString(s.token.userPinFile(), "24681357\n"); // the fixture's PIN file follows the card
    }
  }

  @Test
  void retire_removesWhatTokenrollInstalledAndRetiresTheCard() throws Exception {
    try (Stack s = new Stack("e2e-retire")) {
      String first = enrollmentId(s.enroll("Smart Card Logon"));
      Cli run = s.cli("retire", first);
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(s.objects().isEmpty(), s.objects().toString());
      assertEquals("Completed", s.server.admin().requests().stream()
          .filter(r -> r.type().equals("Retire")).findFirst().orElseThrow().status());
    }
  }

  @Test
  void inspect_theDocumentedAnswer_showsLeafChainAndStatus() throws Exception {
    Path vector = Path.of(getClass().getResource("/vectors/mimdocs_certificatedata_response.json").toURI());
    Cli run = Cli.run("inspect", vector.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("CMC Full PKI Response"), run.out());
    assertTrue(run.out().contains("success \"Issued\""), run.out());
    assertTrue(run.out().contains("ContosoVirtualSmartCardLimitedRelease-KSP"), run.out());
  }
}
