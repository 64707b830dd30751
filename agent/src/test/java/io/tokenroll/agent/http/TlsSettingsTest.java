package io.tokenroll.agent.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {
  private static final TlsSettings INSECURE = new TlsSettings(List.of(), true, null, null);

  @Test
  void insecure_isRefusedForAServerOffThisMachine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> INSECURE.sslContext(URI.create("https://192.0.2.10/CertificateManagement/")));
    assertTrue(e.getMessage().contains("only allowed for a server on this machine"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new HttpTransport(URI.create("https://192.0.2.10/"), INSECURE,
        Credentials.NONE, RetryPolicy.NONE, java.time.Duration.ofSeconds(1), 1024));
  }

  @Test
  void insecure_isAllowedOnLoopback_plainHttpOnlyThere() throws Exception {
    assertNotNull(INSECURE.sslContext(URI.create("https://127.0.0.1:8443/")));
    assertNotNull(INSECURE.sslContext(URI.create("https://[::1]:8443/")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HttpTransport(
        URI.create("http://192.0.2.10/"), TlsSettings.verifying(List.of()), Credentials.NONE, RetryPolicy.NONE,
        java.time.Duration.ofSeconds(1), 1024));
    assertTrue(e.getMessage().contains("must be https://"), e.getMessage());
  }
}
