package io.tokenroll.agent.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestCertificates;
import io.tokenroll.pkcs11.testing.TestToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token commands end to end on a real SoftHSM2 token, read back with pkcs11-tool and openssl.
 */
class TokenCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestToken token;

  @TempDir
  Path tmp;

  private static Path state;

  @BeforeAll
  static void token() {
    token = SoftHsm2.get().newToken("cli");
    state = Backends.privateDirectory("tokenroll-cli-state-");
  }

  private static CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--token", token.label(), "--pin-source", "file:" + token.userPinFile()));
    if (List.of("keygen", "import-cert", "delete").contains(args[0])) { // they write to the audit log
      all.addAll(List.of("--state-dir", state.toString()));
    }
    return CliRun.of(all.toArray(String[]::new));
  }

  private static String pkcs11Tool(String... args) {
    List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", SoftHsm2.LIBRARY.toString(),
        "--token-label", token.label(), "--login", "--pin", Backends.readSecret(token.userPinFile())));
    cmd.addAll(List.of(args));
    return Backends.run(cmd, token.environment(), 60);
  }

  @Test
  void tokens_json_listsTheTokenWithFlagsAndMechanisms() throws Exception {
    CliRun run = CliRun.of("tokens", "--json", "--mechanisms");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode tokens = JSON.readTree(run.out());
    JsonNode mine = null;
    for (JsonNode t : tokens) {
      if (t.get("label").asText().equals(token.label())) {
        mine = t;
      }
    }
    assertNotNull(mine, run.out());
    assertEquals("SoftHSM project", mine.get("manufacturer").asText());
    assertTrue(mine.get("flags").toString().contains("token-initialized"));
    assertTrue(mine.get("mechanisms").toString().contains("CKM_EC_KEY_PAIR_GEN"));
  }

  @Test
  void tokens_table_hasAHeaderAndTheToken() {
    CliRun run = CliRun.of("tokens");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().startsWith("SLOT"), run.out());
    assertTrue(run.out().contains(token.label()), run.out());
  }

  @Test
  void keygen_thenPkcs11ToolListsThePairWithTheSameId() throws Exception {
    for (String type : List.of("EC-P256", "RSA-2048")) {
      String label = "interop-" + type.toLowerCase();
      CliRun run = cli("keygen", "--type", type, "--label", label, "--json");
      assertEquals(0, run.exitCode(), run.toString());
      String id = JSON.readTree(run.out()).get("id").asText();
      String listing = pkcs11Tool("-O");
      assertTrue(listing.contains(label), listing);
      assertTrue(listing.toLowerCase().contains("id:         " + id), "pkcs11-tool shows id " + id + "\n" + listing);
      assertTrue(listing.contains("never extractable"), listing);

      CliRun objects = cli("objects", "--id", id, "--json");
      JsonNode list = JSON.readTree(objects.out());
      assertEquals(2, list.size(), objects.out());
      for (JsonNode o : list) {
        assertEquals(id, o.get("id").asText());
        assertEquals(type, o.get("key").asText());
      }
    }
  }

  @Test
  void csr_rsaAndEc_verifyWithOpenssl() throws Exception {
    for (String type : List.of("RSA-2048", "RSA-2048-PSS", "EC-P256", "EC-P384")) {
      Path out = tmp.resolve(type + ".csr");
      List<String> args = new ArrayList<>(List.of("csr", "--type", type.replace("-PSS", ""), "--subject",
          "CN=Interop " + type + ",O=tokenroll", "--out", out.toString()));
      if (type.endsWith("-PSS")) {
        args.add("--pss"); // the CSR's own check takes another verifier than for PKCS#1 v1.5
      }
      CliRun run = cli(args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), run.toString());
      String verify = Backends.run(List.of("openssl", "req", "-in", out.toString(), "-verify", "-noout",
          "-subject"), Map.of(), 30);
      assertTrue(verify.contains("verify OK") || verify.contains("Certificate request self-signature verify OK"),
          verify);
      assertTrue(verify.contains("Interop " + type), verify);
    }
  }

  @Test
  void importCert_leafGoesNextToItsKey_readableByPkcs11Tool() throws Exception {
    CliRun csrRun = cli("csr", "--type", "EC-P256", "--label", "with-cert", "--subject", "CN=with cert", "--json");
    assertEquals(0, csrRun.exitCode(), csrRun.toString());
    JsonNode result = JSON.readTree(csrRun.out());
    PKCS10CertificationRequest csr = new PKCS10CertificationRequest(
        Pem.decode(result.get("csr").asText()).get(0).der());
    KeyPair ca = TestCertificates.caKeyPair();
    X509Certificate caCert = TestCertificates.selfSigned(ca, "CN=CLI Test CA");
    X509Certificate leaf = TestCertificates.issue(ca, caCert,
        new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo()),
        "CN=with cert");
    Path pem = tmp.resolve("chain.pem");
    Files.writeString(pem, Pem.encode("CERTIFICATE", leaf.getEncoded()) + Pem.encode("CERTIFICATE", caCert.getEncoded()));

    CliRun imported = cli("import-cert", pem.toString(), "--json");
    assertEquals(0, imported.exitCode(), imported.toString());
    JsonNode stored = JSON.readTree(imported.out());
    assertEquals(result.get("keyId").asText(), stored.get(0).get("id").asText());
    assertEquals("user", stored.get(0).get("category").asText());
    assertEquals("authority", stored.get(1).get("category").asText());

    Path der = tmp.resolve("readback.der");
    pkcs11Tool("--read-object", "--type", "cert", "--id", result.get("keyId").asText(), "--output-file",
        der.toString());
    assertArrayEquals(leaf.getEncoded(), Files.readAllBytes(der), "pkcs11-tool reads back the same certificate");
  }

  @Test
  void importCert_matchingNoKey_isRefusedAndWritesNothing() throws Exception {
    KeyPair ca = TestCertificates.caKeyPair();
    X509Certificate caCert = TestCertificates.selfSigned(ca, "CN=Stranger CA");
    X509Certificate stranger = TestCertificates.issue(ca, caCert, TestCertificates.caKeyPair().getPublic(),
        "CN=stranger");
    Path pem = tmp.resolve("stranger.pem");
    Files.writeString(pem, Pem.encode("CERTIFICATE", caCert.getEncoded()) + Pem.encode("CERTIFICATE", stranger.getEncoded()));
    CliRun run = cli("import-cert", pem.toString());
    assertEquals(ExitCodes.INVALID_INPUT, run.exitCode(), run.toString());
    assertTrue(run.err().contains("matches no private key"), run.err());
    assertFalse(cli("objects", "--class", "CERTIFICATE").out().contains("Stranger"), "the CA was not written either");
  }

  @Test
  void delete_byId_removesThePair() throws Exception {
    String id = JSON.readTree(cli("keygen", "--type", "EC-P256", "--label", "doomed", "--json").out())
        .get("id").asText();
    CliRun run = cli("delete", "--id", id);
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.err().contains("deleted 2 object(s)"), run.err());
    assertEquals("[ ]", cli("objects", "--id", id, "--json").out().trim());
    // a person's changes to a token are audited as an enrollment's are: what, by which command, never a PIN
    List<String> audit = Files.readAllLines(state.resolve("audit.log"));
    assertTrue(audit.stream().anyMatch(l -> l.contains("\"KEY_GENERATED\"") && l.contains(id)
        && l.contains("\"command\":\"keygen\"")), audit.toString());
    assertTrue(audit.stream().anyMatch(l -> l.contains("\"OBJECTS_REMOVED\"") && l.contains(id)
        && l.contains("\"command\":\"delete\"")), audit.toString());
    assertFalse(String.join("\n", audit).contains(Backends.readSecret(token.userPinFile())));
  }

  @Test
  void wrongPin_exitCode10_neverRetried() {
    Path wrong = Backends.writeSecret(tmp.resolve("wrong.pin"), "999999");
    CliRun run = CliRun.of("objects", "--token", token.label(), "--pin-source", "file:" + wrong);
    assertEquals(ExitCodes.PIN_INCORRECT, run.exitCode(), run.toString());
    assertTrue(run.err().contains("wrong PIN") && run.err().contains("not retried"), run.err());
    assertFalse(run.err().contains("999999"), "the PIN is never printed");
  }

  @Test
  void badInput_eachGetsAClearMessageAndItsExitCode() {
    CliRun missing = cli("objects", "--token", "pkcs11:token=nope");
    assertEquals(ExitCodes.INVALID_INPUT, missing.exitCode(), "two --token options: usage error\n" + missing);

    CliRun notFound = CliRun.of("objects", "--token", "no-such-token", "--pin-source", "file:" + token.userPinFile());
    assertEquals(ExitCodes.TOKEN_NOT_FOUND, notFound.exitCode(), notFound.toString());
    assertTrue(notFound.err().contains("no token matches"), notFound.err());

    CliRun badModule = cli("tokens", "--module", "/nonexistent/libpkcs11.so");
    assertEquals(ExitCodes.MODULE_NOT_LOADED, badModule.exitCode(), badModule.toString());
    assertTrue(badModule.err().contains("does not exist"), badModule.err());

    CliRun weak = cli("keygen", "--type", "RSA-1024", "--label", "weak");
    assertEquals(ExitCodes.UNSUPPORTED_BY_TOKEN, weak.exitCode(), weak.toString());
    assertTrue(weak.err().contains("cannot generate RSA-1024"), weak.err());

    CliRun badSpec = cli("keygen", "--type", "DSA-1024", "--label", "x");
    assertEquals(ExitCodes.INVALID_INPUT, badSpec.exitCode(), badSpec.toString());
    assertTrue(badSpec.err().contains("unknown key spec"), badSpec.err());

    CliRun pinOnArgv = cli("objects", "--pin", "1234");
    assertEquals(ExitCodes.INVALID_INPUT, pinOnArgv.exitCode(), "there is no PIN option\n" + pinOnArgv);

    CliRun pinValue = CliRun.of("objects", "--token", "pkcs11:token=" + token.label() + "?pin-value=1234");
    assertEquals(ExitCodes.INVALID_INPUT, pinValue.exitCode(), pinValue.toString());
    assertTrue(pinValue.err().contains("pin-value is not accepted"), pinValue.err());
  }

  @Test
  void help_readsLikeAManPage() {
    CliRun run = CliRun.of("--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("Examples:") && run.out().contains("Exit codes"), run.out());
    assertTrue(run.out().contains("csr") && run.out().contains("import-cert"), run.out());
  }

  @Test
  void aRunBuildsOnlyTheCommandItNames_helpAndTyposStillSeeTheWholeTree() {
    assertEquals(java.util.Set.of("objects"),
        Cli.commandLine(java.util.List.of(), "-v", "objects", "--json").getSubcommands().keySet());
    assertTrue(Cli.commandLine(java.util.List.of(), "help", "objects").getSubcommands().keySet()
        .containsAll(java.util.List.of("enroll", "objects", "ca", "help")));
    CliRun help = CliRun.of("help", "keygen");
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.out().contains("--type"), help.out());
    CliRun commandHelp = CliRun.of("enroll", "--help");
    assertEquals(0, commandHelp.exitCode(), commandHelp.toString());
    assertTrue(commandHelp.out().contains("--template") && commandHelp.out().contains("Exit codes"), commandHelp.out());
    CliRun rootHelp = CliRun.of("--help", "enroll");
    assertTrue(rootHelp.out().contains("import-cert") && rootHelp.out().contains("ca "), rootHelp.out());
    CliRun typo = CliRun.of("objets");
    assertEquals(ExitCodes.INVALID_INPUT, typo.exitCode(), typo.toString());
    assertTrue(typo.err().contains("objects"), typo.err()); // picocli's "did you mean"
  }
}
