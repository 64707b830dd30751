package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.TokenObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tokenroll ca enroll}: a key on a real SoftHSM2 token, its CSR signed there, submitted to cmserver's
 * AD CS web enrollment facade over HTTPS with ICertRequest2 semantics; the same journal and state machine as the
 * MIM CM flow.
 */
class CaEnrollE2eTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> args(Stack s, String template, String... more) {
    List<String> a = new ArrayList<>(List.of("ca", "enroll", "--config", s.server.baseUri() + "certsrv",
        "--template", template, "--token", s.token.label(), "--pin-source", "file:" + s.token.userPinFile(),
        "--user", s.user, "--password-source", "file:" + s.password, "--trust", s.trust.toString(),
        "--state-dir", s.state.toString()));
    a.addAll(List.of(more));
    return a;
  }

  private static Cli caEnroll(Stack s, String template, String... more) {
    return Cli.run(args(s, template, more).toArray(String[]::new));
  }

  private static void assertLeafBesideItsKey(Stack s) throws Exception {
    List<TokenObject> leaves = s.objects(ObjectClass.CERTIFICATE).stream()
        .filter(c -> c.category() == CertificateCategory.USER).toList();
    assertEquals(1, leaves.size());
    assertEquals(KeyId.subjectKeyIdOf(leaves.get(0).certificate().getPublicKey()), leaves.get(0).id());
    assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size());
    assertEquals(leaves.get(0).id(), s.objects(ObjectClass.PRIVATE_KEY).get(0).id());
  }

  @Test
  void issued_installsTheLeafAndChain() throws Exception {
    try (Stack s = new Stack("ca-issued")) {
      Cli run = caEnroll(s, "SmartcardLogon", "--type", "EC-P256", "--json");
      assertEquals(0, run.exitCode(), run.toString());
      JsonNode v = JSON.readTree(run.out());
      assertEquals("certsrv", v.get("protocol").asText());
      assertEquals("COMPLETED", v.get("state").asText());
      assertTrue(v.get("caRequest").asInt() > 0);
      assertLeafBesideItsKey(s);
      List<java.security.cert.X509Certificate> authorities = s.objects(ObjectClass.CERTIFICATE).stream()
          .filter(c -> c.category() == CertificateCategory.AUTHORITY).map(TokenObject::certificate).toList();
      assertEquals(s.server.trustAnchors().size(), authorities.size(), "the chain's CA certificates, once each");
      assertTrue(authorities.containsAll(s.server.trustAnchors()), authorities.toString());
    }
  }

  @Test
  void pending_thenIssuedByTheCaManager_resumeRetrievesAndInstalls() throws Exception {
    try (Stack s = new Stack("ca-pending")) {
      Cli first = caEnroll(s, "ManagerApproval", "--json");
      assertEquals(ExitCodes.UNEXPECTED_STATE, first.exitCode(), first.toString());
      JsonNode v = JSON.readTree(first.out());
      assertEquals("PENDING_APPROVAL", v.get("state").asText());
      assertTrue(v.get("waitingFor").asText().contains("CA request " + v.get("caRequest").asInt()), v.toString());
      assertTrue(first.err().contains("taken under submission"), first.err());
      s.server.admin().approveCaRequest(v.get("caRequest").asInt());
      Cli resumed = s.cli("resume", v.get("id").asText());
      assertEquals(0, resumed.exitCode(), resumed.toString());
      assertLeafBesideItsKey(s);
    }
  }

  @Test
  void denied_showsTheMessageAndHresult_andRemovesTheKey() throws Exception {
    try (Stack s = new Stack("ca-denied")) {
      Cli run = caEnroll(s, "TemplateDenied");
      assertEquals(ExitCodes.UNEXPECTED_STATE, run.exitCode(), run.toString());
      assertTrue(run.err().contains("0x80094012 (-2146877422)"), run.err());
      assertTrue(run.out().contains("DENIED"), run.out());
      assertTrue(s.objects().isEmpty(), "the key made for the denied request is gone");
    }
  }

  @Test
  void pendingThenDenied_resumeEndsDeniedAndRemovesTheKey() throws Exception {
    try (Stack s = new Stack("ca-pending-denied")) {
      JsonNode v = JSON.readTree(caEnroll(s, "ManagerApproval", "--json").out());
      s.server.admin().denyCaRequest(v.get("caRequest").asInt(), "no");
      Cli resumed = s.cli("resume", v.get("id").asText());
      assertEquals(ExitCodes.UNEXPECTED_STATE, resumed.exitCode(), resumed.toString());
      assertTrue(resumed.err().contains("denied"), resumed.err());
      assertTrue(s.objects().isEmpty());
    }
  }

  @Test
  void killedAfterTheCaTookTheRequest_isAbandonedCleanly() throws Exception {
    try (Stack s = new Stack("ca-crash")) {
      Process child = ChildProcess.start(Map.of("TOKENROLL_DEBUG_HALT", "SUBMITTING:done"),
          args(s, "SmartcardLogon"));
      ChildProcess.awaitLine(child, "halted at SUBMITTING:done", 120);
      ChildProcess.kill(child);
      Cli resumed = s.cli("resume");
      assertTrue(resumed.out().contains("ABANDONED"), resumed.toString());
      assertTrue(resumed.err().contains("request id) was lost"), resumed.err());
      assertTrue(s.objects().isEmpty(), "no orphan key");
    }
  }

  @Test
  void aSubmitAnswerThatIsNotWebEnrollment_abandonsAndLeavesTheTokenAsItWas() throws Exception {
    try (Stack s = new Stack("ca-hostile")) {
      s.server.faults().replaceResponse("POST", "/certsrv/certfnsh\\.asp$", 1, 200, "text/html",
          "<html><body>Welcome to nginx!</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Cli run = caEnroll(s, "SmartcardLogon", "--json");
      assertNotEquals(0, run.exitCode(), run.toString());
      assertEquals("ABANDONED", JSON.readTree(run.out()).get("state").asText(), run.toString());
      assertTrue(run.err().contains("neither an issued"), run.err());
      assertTrue(s.objects().isEmpty(), "the key made for the request is gone");
    }
  }

  @Test
  void issuedButTheCertificateDownloadFails_resumeRetrievesItByRequestId() throws Exception {
    try (Stack s = new Stack("ca-lost-download")) {
      s.server.faults().dropConnection("GET", "/certsrv/certnew\\.p7b$", 5);
      Cli first = caEnroll(s, "SmartcardLogon", "--retries", "1", "--json");
      assertEquals(ExitCodes.UNEXPECTED_STATE, first.exitCode(), first.toString());
      JsonNode v = JSON.readTree(first.out());
      assertEquals("SUBMIT_UNCERTAIN", v.get("state").asText(), first.toString());
      assertTrue(v.get("caRequest").asInt() > 0, v.toString());
      s.server.faults().clear();
      Cli resumed = s.cli("resume", v.get("id").asText());
      assertEquals(0, resumed.exitCode(), resumed.toString());
      assertLeafBesideItsKey(s);
    }
  }

  @Test
  void issuedOutOfBand_cannotBeInstalled_theKeyIsRemoved() throws Exception {
    try (Stack s = new Stack("ca-out-of-band")) {
      s.server.faults().replaceResponse("POST", "/certsrv/certfnsh\\.asp$", 1, 200, "text/html",
          CertsrvClientE2eTest.OUT_OF_BAND_PAGE);
      Cli run = caEnroll(s, "SmartcardLogon", "--json");
      assertNotEquals(0, run.exitCode(), run.toString());
      assertEquals("ABANDONED", JSON.readTree(run.out()).get("state").asText(), run.toString());
      assertTrue(run.err().contains("out of band"), run.err());
      assertTrue(s.objects().isEmpty(), "the key made for the request is gone");
    }
  }
}
