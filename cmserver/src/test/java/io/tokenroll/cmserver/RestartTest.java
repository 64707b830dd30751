package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File mode: a restart on the same state directory sees every request, card and CA record, with the same keys. */
class RestartTest {
  @TempDir
  Path state;

  @Test
  void stateSurvivesARestart() throws Exception {
    CmServerConfig cfg = Servers.config().withStateDirectory(state);
    UUID done;
    UUID pending;
    UUID card;
    java.security.cert.X509Certificate root;
    String adminPassword;
    try (CmServer first = CmServer.start(cfg)) {
      TestClient alice = Servers.alice(first);
      root = first.trustAnchors().get(0);
      adminPassword = first.adminPassword();
      done = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON);
      var bound = alice.api("POST", "smartcards", Map.of("requestid", done.toString(), "cardid",
          UUID.randomUUID().toString(), "atr", "3b8d01"));
      card = UUID.fromString(TestClient.json(bound).asText().substring("api/v1.0/smartcards/".length()));
      assertEquals(200, Flows.certificateData(alice, done, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA"))
          .statusCode());
      assertEquals(200, alice.api("PUT", "requests/" + done, Map.of("status", "Completed")).statusCode());
      pending = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON_WITH_APPROVAL);
      assertTrue(Files.exists(state.resolve("endpoint")));
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(state.resolve("credentials.properties"));
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
    }
    try (CmServer second = CmServer.start(cfg)) {
      TestClient alice = Servers.alice(second);
      assertEquals(root, second.trustAnchors().get(0), "same CA keys and certificates");
      assertEquals(adminPassword, second.adminPassword(), "same admin credential");
      assertEquals(8, Flows.request(alice, done).get("Status").asInt());
      assertEquals(1, Flows.request(alice, pending).get("Status").asInt());
      JsonNode cardView = TestClient.json(alice.api("GET", "smartcards/" + card, null));
      assertEquals(3, cardView.get("Status").asInt());
      assertEquals(1, TestClient.json(alice.api("GET", "smartcards/" + card + "/certificates", null)).size());
      second.admin().approveRequest(pending);
      assertEquals(200, Flows.certificateData(alice, pending, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA"))
          .statusCode(), "the restarted CA issues with its old key");
      assertTrue(second.certificateAuthority().find(1).isPresent(), "CA request 1 is still in the CA database");
    }
    assertTrue(Files.notExists(state.resolve("endpoint")), "endpoint file removed on close");
  }
}
