package io.tokenroll.cmserver.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What a bearer token must be: RS256 by the issuer's key, for this audience, within its validity. */
class BearerValidatorTest {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final String AUD = "https://cm.example.test/certificatemanagement";
  static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  static String token(KeyPair key, String alg, String claims) throws Exception {
    String head = B64.encodeToString(("{\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8));
    String body = B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(key.getPrivate());
    s.update((head + "." + body).getBytes(StandardCharsets.US_ASCII));
    return "Bearer " + head + "." + body + "." + B64.encodeToString(s.sign());
  }

  static String claims(String aud, long exp) {
    return "{\"aud\":\"" + aud + "\",\"exp\":" + exp + ",\"upn\":\"alice@example.test\"}";
  }

  @Test
  void acceptsOnlyWhatTheIssuerSignedForThisAudienceAndTime() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair issuer = g.generateKeyPair();
    BearerValidator v = new BearerValidator(issuer.getPublic(), AUD, Clock.fixed(NOW, ZoneOffset.UTC));
    long later = NOW.getEpochSecond() + 3600;
    assertEquals("alice@example.test", v.subject(token(issuer, "RS256", claims(AUD, later))));
    assertNull(v.subject(token(issuer, "RS256", claims("https://other/certificatemanagement", later))));
    assertNull(v.subject(token(issuer, "RS256", claims(AUD, NOW.getEpochSecond() - 3600))), "expired");
    assertNull(v.subject(token(issuer, "none", claims(AUD, later))), "alg none");
    assertNull(v.subject(token(issuer, "HS256", claims(AUD, later))), "a symmetric algorithm");
    assertNull(v.subject(token(g.generateKeyPair(), "RS256", claims(AUD, later))), "another key");
    String good = token(issuer, "RS256", claims(AUD, later));
    assertNull(v.subject(good.substring(0, good.lastIndexOf('.')) + "."), "no signature");
    assertNull(v.subject("Bearer " + "a.".repeat(3)), "not base64 JSON");
    assertNull(v.subject("Bearer x"), "one part");
    assertNull(v.subject(token(issuer, "RS256", "{\"aud\":\"" + AUD + "\",\"exp\":99999999999999999999999}")),
        "an exp beyond any date");
    assertNull(v.subject(token(issuer, "RS256", "{\"aud\":\"" + AUD + "\",\"exp\":" + later
        + ",\"nbf\":\"soon\"}")), "an nbf that is no number");
  }
}
