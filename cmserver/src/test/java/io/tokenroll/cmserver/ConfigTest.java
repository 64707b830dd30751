package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenroll.cmserver.ca.Issuance;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: sections replace the defaults, names match case-insensitively, typos are errors. */
class ConfigTest {
  @TempDir
  Path dir;

  @Test
  void fileSectionsReplaceTheDefaults() throws Exception {
    Path file = dir.resolve("cmserver.json");
    Files.writeString(file, """
        {
          "port": 9443,
          "apiEnabled": false,
          "users": [ { "name": "carol", "password": "pw", "upn": "carol@corp.test" } ],
          "certificateTemplates": [ { "commonName": "Strict", "oid": "1.2.3.4", "extendedKeyUsages": ["clientAuth"],
            "keyUsages": ["digitalSignature"], "validityDays": 30, "minimumKeySize": 3072,
            "issuance": "deny", "denyStatus": "CERTSRV_E_TEMPLATE_DENIED" } ],
          "profileTemplates": [ { "uuid": "11111111-2222-3333-4444-555555555555", "name": "Strict card",
            "smartcard": true, "smartcardSettings": { "userPinOption": "SERVER_DISTRIBUTED" },
            "certificates": [ { "caTemplate": "Strict", "keyAlgorithmName": "RSA", "keySize": 3072,
              "hashAlgorithmName": "SHA384", "keyUsages": 2 } ] } ]
        }
        """);
    CmServerConfig cfg = CmServerConfig.load(file);
    assertEquals(9443, cfg.port());
    assertEquals(false, cfg.apiEnabled());
    assertEquals("127.0.0.1", cfg.bindAddress(), "absent: default kept");
    assertEquals("carol", cfg.users().get(0).name());
    assertEquals(Issuance.DENY, cfg.certificateTemplates().get(0).issuance());
    assertEquals(0x80094012, cfg.certificateTemplates().get(0).denyStatus());
    assertEquals("1.3.6.1.5.5.7.3.2", cfg.certificateTemplates().get(0).extendedKeyUsages().get(0));
    assertTrue(cfg.profileTemplates().get(0).smartcardSettings().userPinOption().serverProposed());
    assertTrue(cfg.profileTemplates().get(0).policies().containsKey("Enroll"), "Enroll offered by default");
  }

  @Test
  void unknownPropertiesAreRejected() throws Exception {
    Path file = dir.resolve("typo.json");
    Files.writeString(file, "{ \"prot\": 1 }");
    assertThrows(Exception.class, () -> CmServerConfig.load(file));
  }

  @Test
  void plainHttpOnlyOnLoopback() {
    assertThrows(IllegalArgumentException.class, () -> CmServer.start(Servers.config().withPlainHttp(true)
        .withBindAddress("0.0.0.0")));
  }

  @Test
  void defaultUsersGetGeneratedPasswords() throws Exception {
    try (CmServer s = CmServer.start(CmServerConfig.defaults().withPort(0))) {
      String pw = s.generatedPassword("alice").orElseThrow();
      assertTrue(pw.length() >= 20);
      assertEquals(200, new TestClient(s, "alice", pw).api("GET", "profiletemplates", null).statusCode());
    }
  }
}
