package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenroll.cmserver.admin.CmAdmin;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.Test;

/** The three ways a request ends: issued at once; pending, approved, issued; denied (by CM or by the CA). */
class DispositionTest extends ServerTest {

  @Test
  void issuedAtOnceOnAnEcTemplate() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON_EC);
    var kp = Csrs.ec();
    HttpResponse<byte[]> r = Flows.certificateData(alice, id, "", Csrs.csr(kp, "SHA256withECDSA"));
    assertEquals(200, r.statusCode(), TestClient.text(r));
    JsonNode item = TestClient.json(r).get(0);
    assertTrue(item.get("Error").isNull());
    X509Certificate leaf = leafOf(item.get("Pkcs7").asText(), kp.getPublic());
    assertTrue(leaf.getSubjectX500Principal().getName().contains("CN=alice"));
    assertTrue(leaf.getExtendedKeyUsage().contains("1.3.6.1.4.1.311.20.2.2"), "smart card logon EKU");
    assertTrue(leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "client auth EKU");
    assertTrue(leaf.getSubjectAlternativeNames().stream().anyMatch(n -> (Integer) n.get(0) == 0), "UPN SAN");
    assertTrue(leaf.getSerialNumber().bitLength() > 120, "random 128-bit serial");
  }

  @Test
  void pendingThenApprovedThenIssued() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON_WITH_APPROVAL);
    assertEquals(1, Flows.request(alice, id).get("Status").asInt(), "Pending");
    HttpResponse<byte[]> early = Flows.certificateData(alice, id, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA"));
    assertEquals(403, early.statusCode(), "certificatedata on a Pending request");
    assertTrue(TestClient.json(early).get("Message").asText().contains("Pending"));

    CmAdmin.RequestSummary approved = server.admin().approveRequest(id);
    assertEquals("Approved", approved.status());
    assertEquals(3, Flows.request(alice, id).get("Status").asInt());
    var kp = Csrs.rsa(2048);
    HttpResponse<byte[]> r = Flows.certificateData(alice, id, "", Csrs.csr(kp, "SHA256withRSA"));
    assertEquals(200, r.statusCode(), TestClient.text(r));
    assertTrue(TestClient.json(r).get(0).get("isPkcs7").asBoolean());
    assertTrue(server.admin().requests().stream().anyMatch(s -> s.uuid().equals(id)));
    assertThrows(IllegalStateException.class, () -> server.admin().approveRequest(id), "no longer Pending");
  }

  @Test
  void deniedByTheCmManager() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON_WITH_APPROVAL);
    assertEquals("Denied", server.admin().denyRequest(id, "not this week").status());
    assertEquals(2, Flows.request(alice, id).get("Status").asInt(), "Denied");
    assertEquals(403, Flows.certificateData(alice, id, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA")).statusCode());
    assertEquals(403, alice.api("PUT", "requests/" + id, Map.of("status", "Completed")).statusCode());
  }

  @Test
  void deniedByTheCaWhileTheOtherItemIsIssued() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.DENIED_BY_CA);
    HttpResponse<byte[]> r = Flows.certificateData(alice, id, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA"),
        Csrs.csr(Csrs.rsa(2048), "SHA256withRSA"));
    assertEquals(200, r.statusCode(), TestClient.text(r));
    JsonNode items = TestClient.json(r);
    assertEquals(2, items.size());
    assertTrue(items.get(0).get("Error").isNull());
    assertTrue(items.get(0).get("isPkcs7").asBoolean());
    String error = items.get(1).get("Error").asText();
    assertTrue(error.contains("0x80094012"), error);
    assertTrue(items.get(1).get("Pkcs7").isNull());
    assertFalse(items.get(1).get("isPkcs7").asBoolean());
  }

  @Test
  void serverGeneratedKeyComesBackAsPfxAndLaterAsKeyHistory() throws Exception {
    UUID first = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_WITH_KEY_RECOVERY);
    assertEquals(1, TestClient.json(alice.api("GET", "requests/" + first + "/certificaterequestgenerationoptions",
        null)).size(), "the server-generated key has no generation options");
    HttpResponse<byte[]> r = Flows.certificateData(alice, first, "pfx-secret",
        Csrs.csr(Csrs.rsa(2048), "SHA256withRSA"));
    JsonNode items = TestClient.json(r);
    assertEquals(2, items.size(), TestClient.text(r));
    JsonNode pfx = items.get(1);
    assertTrue(pfx.get("isPfx").asBoolean());
    assertTrue(pfx.get("isServerGenerated").asBoolean());
    assertFalse(pfx.get("isKeyHistory").asBoolean());
    assertNull(pfx.get("Pkcs7").textValue());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(new ByteArrayInputStream(Base64.getMimeDecoder().decode(pfx.get("Pfx").asText())),
        "pfx-secret".toCharArray());
    assertTrue(ks.isKeyEntry("key"));
    assertThrows(Exception.class, () -> KeyStore.getInstance("PKCS12").load(new ByteArrayInputStream(
        Base64.getMimeDecoder().decode(pfx.get("Pfx").asText())), "wrong".toCharArray()));

    UUID second = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_WITH_KEY_RECOVERY);
    JsonNode again = TestClient.json(Flows.certificateData(alice, second, "other",
        Csrs.csr(Csrs.rsa(2048), "SHA256withRSA")));
    assertEquals(3, again.size());
    assertTrue(again.get(1).get("isKeyHistory").asBoolean(), "the first enrollment's key, recovered");
    KeyStore history = KeyStore.getInstance("PKCS12");
    history.load(new ByteArrayInputStream(Base64.getMimeDecoder().decode(again.get(1).get("Pfx").asText())),
        "other".toCharArray());
    assertEquals(ks.getCertificate("key"), history.getCertificate("key"));
  }

  @Test
  void caManagerApprovalAndRevocation() throws Exception {
    var session = server.certificateAuthority().session(new io.tokenroll.cmserver.ca.Requester("alice",
        "alice@example.test"));
    byte[] csr = Csrs.csr(Csrs.rsa(2048), "SHA256withRSA");
    int disposition = session.submit(io.tokenroll.protocol.certsrv.RequestFlags.CR_IN_BINARY,
        new String(csr, java.nio.charset.StandardCharsets.ISO_8859_1), "CertificateTemplate:ManagerApproval",
        server.caConfig());
    assertEquals(5, disposition, "CR_DISP_UNDER_SUBMISSION");
    int caId = session.getRequestId();
    assertTrue(server.admin().pendingCaRequests().stream().anyMatch(p -> p.requestId() == caId));
    CmAdmin.CaRequestSummary issued = server.admin().approveCaRequest(caId);
    assertEquals("ISSUED", issued.disposition());
    assertEquals(3, session.retrievePending(caId, server.caConfig()));
    server.admin().revoke(new java.math.BigInteger(issued.serialNumber(), 16));
    assertEquals(6, session.retrievePending(caId, server.caConfig()), "CR_DISP_REVOKED");
    String crlBytes = (String) session.getCAProperty(server.caConfig(),
        io.tokenroll.protocol.certsrv.CaProperty.BASECRL.id(), -1,
        io.tokenroll.protocol.certsrv.PropType.PROPTYPE_BINARY, io.tokenroll.protocol.certsrv.OutputFlags.CR_OUT_BINARY);
    var crl = (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509").generateCRL(
        new ByteArrayInputStream(crlBytes.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    assertTrue(crl.getRevokedCertificate(new java.math.BigInteger(issued.serialNumber(), 16)) != null,
        "the next CRL lists the revoked certificate");
    assertThrows(IllegalStateException.class, () -> server.admin().denyCaRequest(caId, "too late"));
  }

  static X509Certificate leafOf(String pkcs7, java.security.PublicKey key) throws Exception {
    CMSSignedData cms = new CMSSignedData(Base64.getMimeDecoder().decode(pkcs7));
    var cf = java.security.cert.CertificateFactory.getInstance("X.509");
    for (var h : cms.getCertificates().getMatches(null)) {
      X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(h.getEncoded()));
      if (c.getPublicKey().equals(key)) {
        return c;
      }
    }
    throw new AssertionError("no certificate for the key");
  }
}
