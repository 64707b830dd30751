package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every documented route of the CM REST API with its documented codes and shapes (reference §1.3). */
class CmApiRoutesTest extends ServerTest {
  private static TestClient bob;

  @BeforeAll
  static void bob() {
    bob = Servers.bob(server);
  }

  @Test
  void profileTemplatesListGetPolicyAndCardConfiguration() throws Exception {
    HttpResponse<byte[]> list = alice.api("GET", "profiletemplates", null);
    assertEquals(200, list.statusCode());
    JsonNode templates = TestClient.json(list);
    assertEquals(12, templates.size());
    JsonNode first = templates.get(0);
    assertEquals(List.of("Name", "Description", "Uuid", "IsSmartcardProfileTemplate",
        "IsVirtualSmartcardProfileTemplate"), names(first));
    assertEquals("Smart Card Logon", first.get("Name").asText());

    JsonNode one = TestClient.json(alice.api("GET", "profiletemplates/" + BuiltInTemplates.VIRTUAL_SMART_CARD, null));
    assertTrue(one.get("IsVirtualSmartcardProfileTemplate").asBoolean());
    assertEquals(204, alice.api("GET", "profiletemplates/" + UUID.randomUUID(), null).statusCode());

    JsonNode policy = TestClient.json(alice.api("GET", "profiletemplates/"
        + BuiltInTemplates.SMART_CARD_LOGON_WITH_APPROVAL + "/policies/enroll", null));
    assertEquals(1, policy.get("ApprovalsNeeded").asInt());
    assertEquals("Request Reason", policy.get("PolicyDataCollection").get(0).get("Name").asText());
    HttpResponse<byte[]> workflowForm = alice.api("GET", "profiletemplates/" + BuiltInTemplates.SMART_CARD_LOGON
        + "/policy/workflow/Enroll", null);
    assertEquals(200, workflowForm.statusCode());
    assertEquals(0, TestClient.json(workflowForm).get("ApprovalsNeeded").asInt());
    assertEquals(204, alice.api("GET", "profiletemplates/" + BuiltInTemplates.SOFTWARE_USER + "/policies/unblock",
        null).statusCode(), "a workflow the template does not offer");
    assertEquals(400, alice.api("GET", "profiletemplates/" + BuiltInTemplates.SOFTWARE_USER + "/policies/bogus",
        null).statusCode());

    JsonNode config = TestClient.json(alice.api("GET", "profiletemplates/" + BuiltInTemplates.VIRTUAL_SMART_CARD
        + "/configuration/smartcards", null));
    assertEquals("010203040506070801020304050607080102030405060708", config.get("DefaultAdminKeyHex").asText());
    assertTrue(config.get("DiversifyAdminKey").asBoolean());
    assertEquals(2, config.get("UserPinOption").asInt());
    assertEquals(204, alice.api("GET", "profiletemplates/" + BuiltInTemplates.SOFTWARE_USER
        + "/configuration/smartcards", null).statusCode());
  }

  @Test
  void requestCreateGetListAndComplete() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON);
    JsonNode r = Flows.request(alice, id);
    assertEquals(List.of("Uuid", "RequestType", "Status", "Flags", "DataCollection", "DataCollectionFlags",
        "OriginatorUserUuid", "TargetUserUuid", "Submitted", "Completed", "NewProfileUuid", "OldProfileUuid",
        "NewSmartcardUuid", "OldSmartcardUuid", "Priority", "Comment", "ProfileTemplateUuid", "SecurityDescriptor",
        "IsSmartcard", "IsEnrollmentAgent", "IsDataCollectionComplete"), names(r));
    assertEquals(1, r.get("RequestType").asInt(), "Enroll=1");
    assertEquals(3, r.get("Status").asInt(), "auto-approved: Approved=3");
    assertEquals(2, r.get("Flags").asInt(), "Smartcard=2");
    assertEquals("0001-01-01T00:00:00", r.get("Completed").asText());
    assertTrue(r.get("Submitted").asText().endsWith("Z"));
    assertEquals("00000000-0000-0000-0000-000000000000", r.get("NewSmartcardUuid").asText());

    JsonNode approved = TestClient.json(alice.api("GET", "requests?targetuser=current&status=Approved", null));
    assertTrue(contains(approved, id));
    HttpResponse<byte[]> canceled = alice.api("GET", "requests?status=Canceled", null);
    assertTrue(canceled.statusCode() == 204 || !contains(TestClient.json(canceled), id), "filtered by status");
    assertEquals(400, alice.api("GET", "requests?status=Sleeping", null).statusCode());
    assertEquals(403, alice.api("GET", "requests?targetuser=bob", null).statusCode());
    assertEquals(204, alice.api("GET", "requests/" + UUID.randomUUID(), null).statusCode());

    KeyPair kp = Csrs.rsa(2048);
    assertEquals(200, Flows.certificateData(alice, id, "", Csrs.csr(kp, "SHA256withRSA")).statusCode());
    assertEquals(4, Flows.request(alice, id).get("Status").asInt(), "Executing after certificatedata");
    HttpResponse<byte[]> done = alice.api("PUT", "requests/" + id, Map.of("status", "Completed"));
    assertEquals(200, done.statusCode());
    assertEquals(8, TestClient.json(done).get("Status").asInt(), "Completed=8");
    assertFalse(TestClient.json(done).get("Completed").asText().startsWith("0001"));
    assertEquals(403, alice.api("PUT", "requests/" + id, Map.of("status", "Canceled")).statusCode(),
        "a completed request cannot be canceled");
    assertEquals(400, alice.api("PUT", "requests/" + id, Map.of("status", "Failed")).statusCode(),
        "Failed is not a client status");
  }

  @Test
  void createRequestAcceptsTheDocumentedQuirks() throws Exception {
    String stringCollection = "{\"DataCollection\":\"[]\",\"Type\":\"Enroll\",\"ProfileTemplateUuid\":\""
        + BuiltInTemplates.SMART_CARD_LOGON_WITH_APPROVAL + "\",\"Comment\":\"\",\"Priority\":\"4\"}";
    HttpResponse<byte[]> a = alice.api("POST", "requests", stringCollection);
    assertEquals(201, a.statusCode(), TestClient.text(a));
    assertTrue(TestClient.json(a).asText().startsWith("api/v1.0/requests/"), "201 body is a JSON string");
    UUID id = UUID.fromString(TestClient.json(a).asText().substring("api/v1.0/requests/".length()));
    JsonNode created = Flows.request(alice, id);
    assertEquals(1, created.get("Status").asInt(), "ApprovalsNeeded 1: Pending");
    assertEquals(4, created.get("Priority").asInt());

    String smartQuotes = "{\"datacollection\":\"[{\u201cRequest Reason\u201d:\u201cNeed VPN Certs\u201d}]\","
        + "\"type\":\"Enroll\",\"profiletemplateuuid\":\"" + BuiltInTemplates.SMART_CARD_LOGON_WITH_APPROVAL
        + "\",\"comment\":\"\"}";
    HttpResponse<byte[]> b = alice.api("POST", "requests", smartQuotes);
    assertEquals(201, b.statusCode(), TestClient.text(b));
    JsonNode withData = Flows.request(alice, UUID.fromString(TestClient.json(b).asText().substring(18)));
    assertEquals("Request Reason", withData.get("DataCollection").get(0).get("Name").asText());
    assertEquals("Need VPN Certs", withData.get("DataCollection").get(0).get("Value").asText());

    HttpResponse<byte[]> c = alice.api("POST", "requests", Map.of("datacollection",
        List.of(Map.of("name", "pavle"), Map.of("city", "seattle")), "type", "Enroll", "profiletemplateuuid",
        BuiltInTemplates.SMART_CARD_LOGON.toString(), "comment", "", "priority", 7));
    assertEquals(201, c.statusCode(), TestClient.text(c));
  }

  @Test
  void smartCardBindDiversifyAuthenticateProposePinAndRetire() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.VIRTUAL_SMART_CARD);
    String cardId = UUID.randomUUID().toString();
    HttpResponse<byte[]> bound = alice.api("POST", "smartcards", Map.of("requestid", id.toString(), "cardid", cardId,
        "atr", "3b8d0180fba000000397425446590301c8"));
    assertEquals(201, bound.statusCode(), TestClient.text(bound));
    String location = TestClient.json(bound).asText();
    assertTrue(location.startsWith("api/v1.0/smartcards/"));
    UUID scid = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    assertEquals(scid.toString(), Flows.request(alice, id).get("NewSmartcardUuid").asText());

    JsonNode card = TestClient.json(alice.api("GET", "smartcards/" + scid, null));
    assertEquals("{" + cardId + "}", card.get("SerialNumber").asText());
    assertEquals(2, card.get("Status").asInt(), "Assigned");
    assertEquals(scid.toString(), TestClient.json(alice.api("GET", "smartcards?cardid=" + cardId, null))
        .get("Uuid").asText());
    assertEquals(200, alice.api("GET", "requests/" + id + "/smartcards/" + scid, null).statusCode());
    assertEquals(204, alice.api("GET", "smartcards?cardid=" + UUID.randomUUID(), null).statusCode());
    assertEquals(204, alice.api("GET", "smartcards/" + UUID.randomUUID(), null).statusCode(), "GET: nothing found");

    String route = "requests/" + id + "/smartcards/" + scid;
    byte[] diversified = Base64.getDecoder().decode(TestClient.json(alice.api("GET", route + "/diversifiedkey?cardid="
        + cardId, null)).asText());
    assertEquals(24, diversified.length);
    byte[] challenge = HexFormat.of().parseHex("0102030405060708");
    String q = "?cardid=" + cardId + "&challenge=" + java.net.URLEncoder.encode(
        Base64.getEncoder().encodeToString(challenge), "UTF-8");
    byte[] defaultAnswer = Base64.getDecoder().decode(TestClient.json(alice.api("GET", route
        + "/authenticationresponse" + q + "&diversified=False", null)).asText());
    assertArrayEquals(tdes(HexFormat.of().parseHex("010203040506070801020304050607080102030405060708"), challenge),
        defaultAnswer);
    byte[] diversifiedAnswer = Base64.getDecoder().decode(TestClient.json(alice.api("GET", route
        + "/authenticationresponse" + q + "&diversified=true", null)).asText());
    assertArrayEquals(tdes(diversified, challenge), diversifiedAnswer);

    String pin = TestClient.json(alice.api("GET", route + "/serverproposedpin?cardid=" + cardId, null)).asText();
    assertTrue(pin.matches("\\d{8}"));
    assertEquals(pin, TestClient.json(alice.api("GET", "smartcards/" + scid + "/serverproposedpin?cardid=" + cardId,
        null)).asText(), "both route forms, same distributed PIN");

    HttpResponse<byte[]> csrs = alice.api("GET", "requests/" + id + "/certificaterequestgenerationoptions", null);
    JsonNode options = TestClient.json(csrs);
    assertEquals(List.of("Subject", "KeyAlgorithmName", "KeySize", "FriendlyName", "HashAlgorithmName",
        "KeyStorageProviderNames", "Exportable", "KeyProtectionLevel", "KeyUsages"), names(options.get(0)));
    assertEquals(200, Flows.certificateData(alice, id, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA")).statusCode());
    assertEquals(200, alice.api("PUT", "requests/" + id, Map.of("status", "Completed")).statusCode());
    assertEquals(3, TestClient.json(alice.api("GET", "smartcards/" + scid, null)).get("Status").asInt(), "Active");
    JsonNode ops = TestClient.json(alice.api("GET", "smartcards/" + scid + "/operations", null));
    assertTrue(ops.toString().contains("\"renew\"") && ops.toString().contains("\"unblock\""));
    JsonNode certs = TestClient.json(alice.api("GET", "smartcards/" + scid + "/certificates", null));
    assertEquals(1, certs.size());
    assertEquals(List.of("IsKeyHistory", "ArchivedOnCa", "CertificateType", "TemplateCommonName", "SerialNumber",
        "Thumbprint"), names(certs.get(0)));
    JsonNode mine = TestClient.json(alice.api("GET", "certificates", null));
    assertTrue(mine.size() >= 1);
    assertTrue(mine.get(0).get("Issuer").asText().contains("\\"));

    HttpResponse<byte[]> retire = alice.api("POST", "requests", Map.of("datacollection", "[]", "type", "Retire",
        "smartcard", scid.toString(), "comment", ""));
    assertEquals(201, retire.statusCode(), TestClient.text(retire));
    UUID retireId = UUID.fromString(TestClient.json(retire).asText().substring(18));
    assertEquals(204, alice.api("GET", "requests/" + retireId + "/certificaterequestgenerationoptions", null)
        .statusCode(), "a Retire issues no certificates");
    HttpResponse<byte[]> retired = alice.api("PUT", "requests/" + retireId + "/smartcards/" + scid,
        Map.of("status", "Retired"));
    assertEquals(200, retired.statusCode(), TestClient.text(retired));
    assertEquals(6, TestClient.json(retired).get("Status").asInt(), "Retired=6");
    String retiredSerial = certs.get(0).get("SerialNumber").asText();
    assertTrue(mine.toString().contains(retiredSerial));
    assertFalse(TestClient.text(alice.api("GET", "certificates", null)).contains(retiredSerial),
        "GET certificates filters out the certificates of a retired card");

    assertEquals(403, bob.api("GET", "smartcards/" + scid, null).statusCode(), "another user's card");
    assertEquals(403, bob.api("GET", "requests/" + id, null).statusCode(), "another user's request");
    assertEquals(403, Flows.certificateData(bob, id, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA")).statusCode());
  }

  @Test
  void softwareEnrollmentMakesAProfile() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.SOFTWARE_USER);
    assertEquals(0, Flows.request(alice, id).get("Flags").asInt());
    assertEquals(200, Flows.certificateData(alice, id, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA")).statusCode());
    JsonNode done = TestClient.json(alice.api("PUT", "requests/" + id, Map.of("status", "Completed")));
    String profile = done.get("NewProfileUuid").asText();
    assertFalse(profile.startsWith("00000000"));
    JsonNode profiles = TestClient.json(alice.api("GET", "profiles?status=Active", null));
    assertTrue(profiles.toString().contains(profile));
    assertEquals(2, profiles.get(0).get("Status").asInt(), "Active=2");
    assertEquals(204, alice.api("GET", "profiles?status=Pending", null).statusCode(),
        "a documented filter value that no profile has: accepted, nothing matches");
    assertEquals(400, alice.api("GET", "profiles?status=Sideways", null).statusCode());
    assertEquals(200, alice.api("GET", "profiles/" + profile, null).statusCode());
    assertEquals(200, alice.api("GET", "requests/" + id + "/profiles", null).statusCode());
    assertEquals(1, TestClient.json(alice.api("GET", "profiles/" + profile + "/certificates", null)).size());
    assertTrue(TestClient.text(alice.api("GET", "profiles/" + profile + "/operations", null)).contains("renew"));
    assertEquals(403, bob.api("GET", "profiles/" + profile, null).statusCode());
  }

  @Test
  void unknownRoutesMethodsAndCredentials() throws Exception {
    HttpResponse<byte[]> missing = alice.api("GET", "nothing/here", null);
    assertEquals(404, missing.statusCode());
    assertTrue(TestClient.json(missing).get("Message").asText().contains("Correlation id"));
    assertEquals(405, alice.api("DELETE", "requests", null).statusCode());
    HttpResponse<byte[]> anonymous = new TestClient(server, null, null).api("GET", "profiletemplates", null);
    assertEquals(401, anonymous.statusCode());
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    assertEquals(401, new TestClient(server, "alice", "wrong").api("GET", "profiletemplates", null).statusCode());
    HttpResponse<byte[]> lowerCase = alice.get("certificatemanagement/api/v1.0/profiletemplates");
    assertEquals(200, lowerCase.statusCode(), "IIS routes case-insensitively");
  }

  @Test
  void disabledApiAnswers404Everywhere() throws Exception {
    try (CmServer off = CmServer.start(Servers.config().withApiEnabled(false))) {
      TestClient c = Servers.alice(off);
      assertEquals(404, c.api("GET", "profiletemplates", null).statusCode());
      assertEquals(404, c.api("POST", "requests", "{}").statusCode());
      assertEquals(404, new TestClient(off, null, null).api("GET", "requests", null).statusCode());
      assertEquals(200, c.get("certsrv/").statusCode(), "only the CM API is switched off");
    }
  }

  static byte[] tdes(byte[] key, byte[] block) throws Exception {
    Cipher c = Cipher.getInstance("DESede/ECB/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DESede"));
    return c.doFinal(block);
  }

  static List<String> names(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static boolean contains(JsonNode list, UUID id) {
    for (JsonNode n : list) {
      if (n.get("Uuid").asText().equals(id.toString())) {
        return true;
      }
    }
    return false;
  }
}
