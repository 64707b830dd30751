package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.pkcs11.testing.Backends;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code tokenroll ca} commands, run in-process against cmserver's /certsrv over HTTPS, with requests whose keys
 * live on a SoftHSM2 token: issued, pending → approved → retrieved, denied, unknown ids, the CA certificate, chain
 * and properties, hostile answers, bad input and client-certificate authentication.
 */
class CaCommandE2eTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Stack stack;
  private static String config;
  private static Path csr;
  private static PublicKey tokenKey;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack("ca-cli");
    config = stack.server.baseUri() + "certsrv";
    csr = stack.dir.resolve("token.csr");
    Cli made = Cli.run("csr", "-t", stack.token.label(), "--pin-source", "file:" + stack.token.userPinFile(),
        "--type", "RSA-2048", "--out", csr.toString());
    assertEquals(0, made.exitCode(), made.toString());
    tokenKey = new JcaPKCS10CertificationRequest(Pem.decode(Files.readString(csr)).get(0).der()).getPublicKey();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @AfterEach
  void disarm() {
    stack.server.faults().clear();
  }

  /** {@code tokenroll ca <sub> <args> --config … --user alice --password-source file:… --trust …}. */
  private static Cli ca(String sub, String... args) {
    List<String> all = new ArrayList<>(List.of("ca", sub));
    all.addAll(List.of(args));
    all.addAll(List.of("--config", config, "--user", stack.user, "--password-source", "file:" + stack.password,
        "--trust", stack.trust.toString()));
    Cli run = Cli.run(all.toArray(String[]::new));
    String password = Backends.readSecret(stack.password);
    assertFalse(run.out().contains(password) || run.err().contains(password), "the password leaked");
    return run;
  }

  private static List<X509Certificate> certs(String pem) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> list = new ArrayList<>();
    for (Pem.Block b : Pem.decode(pem)) {
      assertEquals("CERTIFICATE", b.type());
      list.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
    }
    return list;
  }

  private static int requestId(Cli run) throws Exception {
    return JSON.readTree(run.out()).get("requestId").asInt();
  }

  @Test
  void submit_issued_printsTheCertificateOfTheTokensKey() throws Exception {
    Cli run = ca("submit", csr.toString(), "--template", "User");
    assertEquals(0, run.exitCode(), run.toString());
    X509Certificate leaf = certs(run.out()).get(0);
    assertEquals(tokenKey, leaf.getPublicKey());
    assertTrue(run.err().matches("(?s)request \\d+ issued: .*"), run.err());

    Path out = stack.dir.resolve("chain.pem");
    Cli chain = ca("submit", csr.toString(), "--template", "User", "--attrib", "SAN:upn=ignored@example.test",
        "--chain", "--out", out.toString(), "--json");
    assertEquals(0, chain.exitCode(), chain.toString());
    JsonNode json = JSON.readTree(chain.out());
    assertEquals("ISSUED", json.get("disposition").asText());
    assertEquals(3, json.get("dispositionCode").asInt());
    assertEquals("0x00000000", json.get("status").asText());
    assertEquals(3, json.get("certificates").size(), "leaf, issuing CA, root");
    List<X509Certificate> written = certs(Files.readString(out));
    assertEquals(tokenKey, written.get(0).getPublicKey());
    assertEquals(stack.server.trustAnchors().get(1), written.get(1));
    Path leafPem = stack.dir.resolve("leaf.pem");
    Files.writeString(leafPem, Pem.encode("CERTIFICATE", written.get(0).getEncoded()));
    String verify = Backends.run(List.of("openssl", "verify", "-CAfile", stack.trust.toString(),
        leafPem.toString()), Map.of(), 30);
    assertTrue(verify.contains(": OK"), verify);
  }

  @Test
  void pending_thenApproved_isRetrieved() throws Exception {
    Cli pending = ca("submit", csr.toString(), "--template", "ManagerApproval", "--json");
    assertEquals(ExitCodes.UNEXPECTED_STATE, pending.exitCode(), pending.toString());
    int id = requestId(pending);
    assertEquals("UNDER_SUBMISSION", JSON.readTree(pending.out()).get("disposition").asText());
    assertTrue(pending.err().contains("tokenroll ca retrieve " + id), pending.err());

    Cli still = ca("retrieve", String.valueOf(id));
    assertEquals(ExitCodes.UNEXPECTED_STATE, still.exitCode(), still.toString());
    assertTrue(still.out().contains("UNDER_SUBMISSION"), still.out());
    Cli stillJson = ca("retrieve", String.valueOf(id), "--json");
    assertEquals(ExitCodes.UNEXPECTED_STATE, stillJson.exitCode(), stillJson.toString());
    JsonNode j = JSON.readTree(stillJson.out());
    assertEquals("UNDER_SUBMISSION", j.get("disposition").asText(), stillJson.out());
    assertEquals(id, requestId(stillJson));

    stack.server.admin().approveCaRequest(id);
    Path out = stack.dir.resolve("approved.pem");
    Cli issued = ca("retrieve", String.valueOf(id), "--out", out.toString());
    assertEquals(0, issued.exitCode(), issued.toString());
    assertTrue(issued.out().contains("ISSUED"), issued.out());
    assertEquals(tokenKey, certs(Files.readString(out)).get(0).getPublicKey());
  }

  @Test
  void denied_exitsThreeWithMessageAndHresult() throws Exception {
    Cli denied = ca("submit", csr.toString(), "--template", "TemplateDenied");
    assertEquals(ExitCodes.UNEXPECTED_STATE, denied.exitCode(), denied.toString());
    assertTrue(denied.err().contains("was denied: Denied by Policy Module 0x80094012"), denied.err());
    assertTrue(denied.err().contains("0x80094012 (-2146877422) CERTSRV_E_TEMPLATE_DENIED"), denied.err());
    assertFalse(denied.out().contains("BEGIN CERTIFICATE"));
    JsonNode json = JSON.readTree(ca("submit", csr.toString(), "--template", "TemplateDenied", "--json").out());
    assertEquals("DENIED", json.get("disposition").asText());
    assertEquals("0x80094012", json.get("status").asText());
    assertEquals("CERTSRV_E_TEMPLATE_DENIED", json.get("statusName").asText());

    int id = requestId(ca("submit", csr.toString(), "--template", "ManagerApproval", "--json"));
    stack.server.admin().denyCaRequest(id, "no reason given");
    Cli byManager = ca("retrieve", String.valueOf(id));
    assertEquals(ExitCodes.UNEXPECTED_STATE, byManager.exitCode(), byManager.toString());
    assertTrue(byManager.err().contains("CERTSRV_E_ADMIN_DENIED_REQUEST"), byManager.err());
  }

  @Test
  void unknownRequestId_isPropertyEmpty() {
    Cli run = ca("retrieve", "987654");
    assertEquals(ExitCodes.FAILED, run.exitCode(), run.toString());
    assertTrue(run.err().contains("0x80094004 (-2146877436) CERTSRV_E_PROPERTY_EMPTY"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void cacert_currentChainAndByIndex() throws Exception {
    X509Certificate issuing = stack.server.trustAnchors().get(1);
    Cli run = ca("cacert");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(List.of(issuing), certs(run.out()));
    Cli chain = ca("cacert", "--chain");
    assertEquals(List.of(issuing, stack.server.trustAnchors().get(0)), certs(chain.out()), "issuing CA, then root");
    JsonNode json = JSON.readTree(ca("cacert", "--index", "0", "--json").out());
    assertEquals(issuing.getSerialNumber().toString(16), json.get("certificates").get(0).get("serial").asText());
    Cli none = ca("cacert", "--index", "1");
    assertEquals(ExitCodes.INVALID_INPUT, none.exitCode(), none.toString());
    assertTrue(none.err().contains("E_INVALIDARG"), none.err());
  }

  @Test
  void property_valuesCrlsAndWhatWebEnrollmentCannotAnswer() throws Exception {
    Cli count = ca("property", "CASIGCERTCOUNT");
    assertEquals(0, count.exitCode(), count.toString());
    assertTrue(count.out().matches("(?s)PROPERTY +ID +INDEX +VALUE\\s+CR_PROP_CASIGCERTCOUNT +11 +- +1\\s*"),
        count.out());
    JsonNode name = JSON.readTree(ca("property", "cr_prop_caname", "--json").out());
    assertEquals("tokenroll Test Issuing CA", name.get("value").asText());
    assertEquals("STRING", name.get("type").asText());
    assertTrue(ca("property", "20", "--index", "0").out().contains("3 (CA_DISP_VALID)"));

    Path crlFile = stack.dir.resolve("base.crl.pem");
    assertEquals(0, ca("property", "BASECRL", "--out", crlFile.toString()).exitCode());
    Pem.Block block = Pem.decode(Files.readString(crlFile)).get(0);
    assertEquals("X509 CRL", block.type());
    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
        new ByteArrayInputStream(block.der()));
    crl.verify(stack.server.trustAnchors().get(1).getPublicKey());

    Cli templates = ca("property", "TEMPLATES");
    assertEquals(ExitCodes.FAILED, templates.exitCode(), templates.toString());
    assertTrue(templates.err().contains("E_NOTIMPL"), templates.err());
    assertEquals(ExitCodes.INVALID_INPUT, ca("property", "NOSUCH").exitCode());
    assertEquals(ExitCodes.INVALID_INPUT, ca("property", "CASIGCERTCOUNT", "--index", "1").exitCode());
  }

  @Test
  void hostileAnswers_failClearlyAndPrintNoCertificate() {
    stack.server.faults().replaceResponse("POST", "/certsrv/certfnsh\\.asp$", 1, 200, "text/html",
        "<html><body>Please sign in</body></html>".getBytes(StandardCharsets.UTF_8));
    Cli garbage = ca("submit", csr.toString(), "--template", "User");
    assertEquals(ExitCodes.FAILED, garbage.exitCode(), garbage.toString());
    assertTrue(garbage.err().contains("refused") && garbage.err().contains("ERROR_INVALID_DATA"), garbage.err());
    assertEquals("", garbage.out());

    stack.server.faults().replaceResponse("GET", "/certsrv/certnew\\.cer$", 1, 200, "application/json",
        "{}".getBytes(StandardCharsets.UTF_8));
    Cli wrongType = ca("submit", csr.toString(), "--template", "User");
    assertEquals(ExitCodes.FAILED, wrongType.exitCode(), wrongType.toString());
    assertTrue(wrongType.err().contains("Content-Type 'application/json'"), wrongType.err());
    assertEquals("", wrongType.out());
  }

  @Test
  void badInput_exitsTwo_andAuthenticationFailuresExitOne() throws Exception {
    assertEquals(ExitCodes.INVALID_INPUT, ca("submit", stack.dir.resolve("missing.csr").toString()).exitCode());
    assertEquals(ExitCodes.INVALID_INPUT, ca("submit", stack.trust.toString()).exitCode(), "a certificate file");
    assertEquals(ExitCodes.INVALID_INPUT, ca("submit", csr.toString(), "--attrib", "novalue").exitCode());
    assertEquals(ExitCodes.INVALID_INPUT, ca("retrieve", "0").exitCode());
    Cli dcom = Cli.run("ca", "cacert", "--config", "ca.example.com\\Example CA");
    assertEquals(ExitCodes.INVALID_INPUT, dcom.exitCode(), dcom.toString());
    assertTrue(dcom.err().contains("not a web enrollment URL"), dcom.err());

    Path wrong = Backends.writeSecret(stack.dir.resolve("wrong.password"), "wrong-" + Backends.randomHex(8));
    Cli denied = Cli.run("ca", "cacert", "--config", config, "--user", stack.user, "--password-source",
        "file:" + wrong, "--trust", stack.trust.toString());
    assertEquals(ExitCodes.FAILED, denied.exitCode(), denied.toString());
    assertTrue(denied.err().contains("HTTP_E_STATUS_DENIED"), denied.err());
    assertFalse(denied.err().contains(Backends.readSecret(wrong)));

    Cli untrusted = Cli.run("ca", "cacert", "--config", config, "--user", stack.user, "--password-source",
        "file:" + stack.password);
    assertEquals(ExitCodes.FAILED, untrusted.exitCode(), untrusted.toString());
    assertTrue(untrusted.err().contains("ERROR_WINHTTP_SECURE_FAILURE"), untrusted.err());
    Cli insecure = Cli.run("ca", "cacert", "--config", config, "--user", stack.user, "--password-source",
        "file:" + stack.password, "--insecure");
    assertEquals(0, insecure.exitCode(), "--insecure is allowed for a loopback server: " + insecure);
  }

  @Test
  void tlsClientCertificate_authenticatesWithoutAPassword() throws Exception {
    KeyPair key = CertsrvCsrs.rsa();
    Path softCsr = stack.dir.resolve("soft.csr");
    Files.writeString(softCsr, CertsrvCsrs.pem(key));
    Cli issued = ca("submit", softCsr.toString(), "--template", "User", "--json");
    assertEquals(0, issued.exitCode(), issued.toString());
    int id = requestId(issued);
    X509Certificate leaf = certs(JSON.readTree(issued.out()).get("certificates").get(0).get("pem").asText()).get(0);

    String p12Password = Backends.randomHex(12);
    Path p12Pw = Backends.writeSecret(stack.dir.resolve("p12.password"), p12Password);
    Path p12 = stack.dir.resolve("alice.p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    // With its chain: the JDK picks a client certificate only if it chains to an issuer the server names.
    ks.setKeyEntry("alice", key.getPrivate(), p12Password.toCharArray(), new Certificate[] {leaf,
        stack.server.trustAnchors().get(1), stack.server.trustAnchors().get(0)});
    try (var o = Files.newOutputStream(p12)) {
      ks.store(o, p12Password.toCharArray());
    }

    Cli viaCertificate = Cli.run("ca", "retrieve", String.valueOf(id), "--config", config, "--client-cert",
        p12.toString(), "--client-cert-password-source", "file:" + p12Pw, "--trust", stack.trust.toString());
    assertEquals(0, viaCertificate.exitCode(), viaCertificate.toString());
    assertEquals(leaf, certs(viaCertificate.out()).get(0), "alice's own request, fetched as alice");
    assertFalse(viaCertificate.err().contains(p12Password));

    Cli anonymous = Cli.run("ca", "retrieve", String.valueOf(id), "--config", config, "--trust",
        stack.trust.toString());
    assertEquals(ExitCodes.FAILED, anonymous.exitCode(), anonymous.toString());
    Matcher m = Pattern.compile("0x80190191").matcher(anonymous.err());
    assertTrue(m.find(), anonymous.err());
  }
}
