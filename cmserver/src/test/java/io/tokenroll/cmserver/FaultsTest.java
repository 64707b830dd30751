package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fault hooks do what they say, for exactly the armed number of matching requests, and nothing when unarmed. */
class FaultsTest extends ServerTest {

  @AfterEach
  void disarm() {
    server.faults().clear();
  }

  @Test
  void replaceAnswersWithTheGivenBytesForNRequests() throws Exception {
    byte[] html = "<html>Service Unavailable</html>".getBytes(StandardCharsets.UTF_8);
    server.faults().replaceResponse("GET", "/profiletemplates$", 2, 503, "text/html", html);
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> r = alice.api("GET", "profiletemplates", null);
      assertEquals(503, r.statusCode());
      assertEquals("text/html", r.headers().firstValue("Content-Type").orElse(""));
      assertArrayEquals(html, r.body());
    }
    assertEquals(200, alice.api("GET", "profiletemplates", null).statusCode(), "disarmed after two");
    assertEquals(0, server.faults().remaining());
  }

  @Test
  void transformTampersWithTheGenuineAnswer() throws Exception {
    UUID id = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON);
    AtomicInteger seen = new AtomicInteger();
    server.faults().transformResponse("POST", "/certificatedata$", 1, body -> {
      seen.incrementAndGet();
      return new String(body, StandardCharsets.UTF_8).replace("\"isPkcs7\":true", "\"isPkcs7\":false")
          .getBytes(StandardCharsets.UTF_8);
    });
    HttpResponse<byte[]> r = Flows.certificateData(alice, id, "", Csrs.csr(Csrs.rsa(2048), "SHA256withRSA"));
    assertEquals(200, r.statusCode());
    assertEquals(1, seen.get(), "the real response went through the transform");
    assertTrue(TestClient.text(r).contains("\"isPkcs7\":false"));
    assertTrue(TestClient.text(r).contains("\"Pkcs7\":\"MII"), "the rest is genuine");
  }

  @Test
  void dropClosesTheConnectionWithoutAnAnswer() throws Exception {
    int before = server.admin().requests().size();
    // A POST, because the JDK client silently retries an idempotent GET once on a closed connection.
    server.faults().dropConnection("POST", "/requests$", 1);
    assertThrows(IOException.class, () -> Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON));
    assertEquals(before, server.admin().requests().size(), "the dropped request was not processed");
    Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON);
    assertEquals(before + 1, server.admin().requests().size(), "only one dropped");
  }

  @Test
  void delayHoldsTheAnswer() throws Exception {
    server.faults().delay("GET", "profiletemplates", 1, Duration.ofMillis(300));
    long start = System.nanoTime();
    assertEquals(200, alice.api("GET", "profiletemplates", null).statusCode());
    assertTrue(System.nanoTime() - start >= 300_000_000L, "answered after the delay");
  }

  @Test
  void nothingIsArmedByDefault() throws Exception {
    assertEquals(0, server.faults().remaining());
    assertEquals(200, alice.api("GET", "profiletemplates", null).statusCode());
  }
}
