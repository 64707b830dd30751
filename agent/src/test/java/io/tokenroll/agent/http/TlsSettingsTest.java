package io.tokenroll.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {
  private static final TlsSettings INSECURE = new TlsSettings(List.of(), true, null, null);

  @Test
  void insecure_isRefusedForAServerOffThisMachine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> INSECURE.sslContext(ServerAddress.parse("https://192.0.2.10/CertificateManagement/")));
    assertTrue(e.getMessage().contains("only allowed for a server on this machine"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new HttpTransport(URI.create("https://192.0.2.10/"), INSECURE,
        Credentials.NONE, RetryPolicy.NONE, Duration.ofSeconds(1), 1024));
  }

  @Test
  void insecure_isAllowedOnLoopback_plainHttpOnlyThere() throws Exception {
    assertNotNull(INSECURE.sslContext(ServerAddress.parse("https://127.0.0.1:8443/")));
    assertNotNull(INSECURE.sslContext(ServerAddress.parse("https://[::1]:8443/")));
    assertNotNull(INSECURE.sslContext(ServerAddress.parse("https://LOCALHOST:8443/")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HttpTransport(
        URI.create("http://192.0.2.10/"), TlsSettings.verifying(List.of()), Credentials.NONE, RetryPolicy.NONE,
        Duration.ofSeconds(1), 1024));
    assertTrue(e.getMessage().contains("must be https://"), e.getMessage());
  }

  /** Hostile-test finding 1: URI has no host for 'cm_evil.test', the old guard resolved null to loopback. */
  @Test
  void aHostNameUriCannotParse_isRefused_notTakenForLoopback() {
    for (String url : List.of("http://cm_evil.test:8080/", "https://cm_evil.test/", "http://a_b.127.0.0.1.nip/")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HttpTransport(
          URI.create(url), INSECURE, Credentials.NONE, RetryPolicy.NONE, Duration.ofSeconds(1), 1024), url);
      assertTrue(e.getMessage().contains("no valid host name"), e.getMessage());
    }
  }

  /** Loopback is decided on the host text: no resolver can make a name pass. */
  @Test
  void loopback_isALiteralOrLocalhost_neverAResolvedName() {
    assertTrue(ServerAddress.parse("http://127.0.0.2:1/").isLoopback());
    assertTrue(ServerAddress.parse("http://[0:0:0:0:0:0:0:1]/").isLoopback());
    assertFalse(ServerAddress.parse("http://localhost.evil.test/").isLoopback());
    assertFalse(ServerAddress.parse("http://127.0.0.1.evil.test/").isLoopback());
    assertFalse(ServerAddress.parse("http://10.0.0.1/").isLoopback());
    assertFalse(ServerAddress.parse("http://[::ffff:10.0.0.1]/").isLoopback());
    assertFalse(ServerAddress.parse("http://2130706433/").isLoopback(), "digits that are not a dotted quad");
    assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("http://127.0.0.256/"));
    assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("https://127.0.0.1:70000/"));
  }

  /** Hostile-test finding 7: a password in the URL was accepted, used and journaled. */
  @Test
  void credentialsInTheUrl_areRefused_andNotRepeated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerAddress.parse("https://alice:S3cret-pw@cm.example.com/"));
    assertFalse(e.getMessage().contains("S3cret-pw"), e.getMessage());
    for (String url : List.of("https://alice:pa/ss?w#rd@cm.example.com/", "https:alice:S3cret@cm.example.com/",
        "https://alice:p@ss@cm.example.com/x")) {
      var refused = assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(url));
      assertFalse(refused.getMessage().contains("ss?w#rd") || refused.getMessage().contains("S3cret")
          || refused.getMessage().contains("p@ss"), refused.getMessage());
    }
    assertTrue(e.getMessage().contains("--password-source"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new HttpTransport(URI.create("https://alice:pw@127.0.0.1/"),
        INSECURE, Credentials.NONE, RetryPolicy.NONE, Duration.ofSeconds(1), 1024));
  }

  @Test
  void userInfo_isFoundAndTakenOut() {
    assertTrue(ServerAddress.hasUserInfo("https://alice:pw@cm.example.com:8443/x/"));
    assertFalse(ServerAddress.hasUserInfo("https://cm.example.com/"));
    assertEquals("https://cm.example.com:8443/x/", ServerAddress.withoutUserInfo("https://alice:pw@cm.example.com:8443/x/"));
  }

  @Test
  void theConnectionUrl_isBuiltFromTheCheckedHost() {
    ServerAddress a = ServerAddress.parse("https://CM.example.com:8443/base");
    assertEquals("https://cm.example.com:8443/base/", a.toString());
    assertEquals("cm.example.com", a.url("api/x?y=1").getHost());
    assertEquals("/base/api/x?y=1", a.url("/api/x?y=1").getFile());
    assertThrows(IllegalArgumentException.class, () -> a.url("//evil.test/x"));
  }
}
