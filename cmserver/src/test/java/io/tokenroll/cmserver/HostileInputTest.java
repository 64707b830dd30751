package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed and malicious input gets a 4xx with a message (never a stack trace), and the server stays up. */
class HostileInputTest {
  private static CmServer server;
  private static TestClient alice;

  @BeforeAll
  static void start() throws Exception {
    server = CmServer.start(Servers.config().withMaxBodyBytes(64 * 1024));
    alice = Servers.alice(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void serverStillAnswers() throws Exception {
    assertEquals(200, alice.api("GET", "profiletemplates", null).statusCode());
  }

  private static void assertRefused(int status, HttpResponse<byte[]> r, String expectedText) throws Exception {
    assertEquals(status, r.statusCode(), TestClient.text(r));
    JsonNode body = TestClient.json(r);
    String message = body.get("Message").asText();
    assertTrue(message.contains(expectedText), message);
    assertTrue(message.contains("Correlation id"), message);
    assertFalse(TestClient.text(r).contains("at io.tokenroll"), "no stack trace");
  }

  @Test
  void malformedJson() throws Exception {
    assertRefused(400, alice.api("POST", "requests", "{\"type\": \"Enroll\", "), "not valid JSON");
    assertRefused(400, alice.api("POST", "requests", "[1,2,3]"), "JSON object");
    assertRefused(400, alice.api("POST", "requests", Map.of("type", "Teleport", "datacollection", "[]",
        "comment", "")), "type");
    assertRefused(400, alice.api("POST", "requests", Map.of("type", "Enroll", "datacollection", "[]",
        "profiletemplateuuid", "not-a-guid", "comment", "")), "GUID");
    assertRefused(400, alice.api("POST", "requests", Map.of("type", "Enroll", "datacollection", "[]",
        "profiletemplateuuid", BuiltInTemplates.SMART_CARD_LOGON.toString())), "comment");
    assertRefused(400, alice.api("POST", "requests", Map.of("type", "Enroll", "datacollection", "[]",
        "profiletemplateuuid", BuiltInTemplates.SMART_CARD_LOGON.toString(), "comment", "", "priority", "high")),
        "priority");
    UUID id = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON);
    assertRefused(400, alice.api("POST", "requests/" + id + "/certificatedata", "{\"certificaterequests\": 5}"),
        "certificaterequests");
    assertRefused(403, alice.api("POST", "requests", Map.of("type", "Unblock", "datacollection", "[]",
        "profiletemplateuuid", BuiltInTemplates.SOFTWARE_USER.toString(), "comment", "")), "not enabled");
  }

  /** A client's X-Correlation-ID (tokenroll sends its enrollment id) is the one an error answer quotes. */
  @Test
  void theClientsCorrelationId_isTheOneQuoted() throws Exception {
    var r = alice.send("POST", TestClient.API + "requests", "application/json",
        "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Map.of("X-Correlation-ID", "20261204T120000-abcdef12"));
    assertEquals(400, r.statusCode());
    assertTrue(TestClient.text(r).contains("20261204T120000-abcdef12"), TestClient.text(r));
    var odd = alice.send("POST", TestClient.API + "requests", "application/json",
        "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of("X-Correlation-ID", "<script>"));
    assertFalse(TestClient.text(odd).contains("<script>"), "only a plausible id is taken");
  }

  @Test
  void brokenBase64() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON);
    assertRefused(400, alice.api("POST", "requests/" + id + "/certificatedata", Map.of("pfxpassword", "",
        "certificaterequests", List.of("MIIC!!not*base64"))), "not valid base64");
    assertRefused(400, alice.api("POST", "requests/" + id + "/certificatedata", Map.of("pfxpassword", "",
        "certificaterequests", List.of("AAAA"))), "not a PKCS#10");
    assertEquals(3, Flows.request(alice, id).get("Status").asInt(), "still Approved: nothing was submitted");
  }

  @Test
  void csrWhoseSignatureFails() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON);
    byte[] broken = Csrs.broken(Csrs.csr(Csrs.rsa(2048), "SHA256withRSA"));
    assertRefused(400, Flows.certificateData(alice, id, "", broken), "signature");
  }

  @Test
  void csrThatViolatesTheGenerationOptions() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON);
    assertRefused(400, Flows.certificateData(alice, id, "", Csrs.csr(Csrs.rsa(3072), "SHA256withRSA")),
        "RSA 2048");
    assertRefused(400, Flows.certificateData(alice, id, "", Csrs.csr(Csrs.rsa(2048), "SHA1withRSA")), "SHA256");
    assertRefused(400, Flows.certificateData(alice, id, "", Csrs.csr(Csrs.ec(), "SHA256withECDSA")), "EC");
    assertRefused(400, Flows.certificateData(alice, id, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA"),
        Csrs.csr(Csrs.rsa(2048), "SHA256withRSA")), "needs 1");
  }

  /**
   * Hostile-test finding 8: a body under the size limit whose stored form exceeds the database column was a 500.
   * 50,000 short items make about 550 KB on the wire and over a million characters stored (each item is stored
   * with its names spelled out).
   */
  @Test
  void aBodyThatFitsTheLimitButNotTheStore_is413WithAMessage() throws Exception {
    try (CmServer big = CmServer.start(Servers.config())) {
      TestClient a = Servers.alice(big);
      StringBuilder items = new StringBuilder("[");
      for (int i = 0; i < 50_000; i++) {
        items.append(i == 0 ? "" : ",").append("{\"n\":\"v\"}");
      }
      String body = "{\"type\":\"Enroll\",\"comment\":\"\",\"profiletemplateuuid\":\""
          + BuiltInTemplates.SMART_CARD_LOGON + "\",\"datacollection\":" + items.append("]") + "}";
      assertTrue(body.length() < (1 << 20), "under the 1 MiB body limit: " + body.length());
      assertRefused(413, a.api("POST", "requests", body), "characters to store");
      assertEquals(200, a.api("GET", "profiletemplates", null).statusCode(), "and the server goes on");
    }
  }

  @Test
  void oversizedBody() throws Exception {
    String huge = "{\"comment\":\"" + "x".repeat(100 * 1024) + "\"}";
    HttpResponse<byte[]> r = alice.api("POST", "requests", huge);
    assertRefused(413, r, "larger than");
  }

  @Test
  void pathTricksAndBadQueries() throws Exception {
    assertEquals(404, alice.api("GET", "requests/../../../etc/passwd", null).statusCode());
    assertEquals(400, alice.api("GET", "requests?status=", null).statusCode());
    assertEquals(404, alice.get("CertificateManagement/api/v2.0/profiletemplates").statusCode());
  }
}
