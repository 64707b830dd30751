package io.tokenroll.cmserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The ADFS half of MIM CM's Modern App authentication: an OAuth access token (a JWT signed RS256 with the ADFS
 * token-signing certificate) for the CM resource, {@code https://<fqdn>/certificatemanagement}. Checks the
 * signature, audience and validity window; the user is the token's {@code upn} claim (ADFS issues it for domain
 * users), else {@code unique_name}. Written here because a test server needs only this one algorithm and claim
 * set, and a JOSE library would be most of cmserver's size.
 */
public final class BearerValidator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TOKEN = 16 * 1024;
  private static final Duration LEEWAY = Duration.ofMinutes(5);

  private final PublicKey issuerKey;
  private final String audience;
  private final Clock clock;

  public BearerValidator(PublicKey issuerKey, String audience, Clock clock) {
    if (!"RSA".equals(issuerKey.getAlgorithm())) {
      throw new IllegalArgumentException("the token-signing key must be RSA (ADFS signs RS256)");
    }
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("bearer tokens need an audience to be checked against");
    }
    this.issuerKey = issuerKey;
    this.audience = audience;
    this.clock = clock;
  }

  /** The user name or UPN the token vouches for, or null when it does not verify. */
  public String subject(String authorization) {
    String token = authorization.substring("Bearer ".length()).strip();
    String[] parts = token.split("\\.", -1);
    if (token.length() > MAX_TOKEN || parts.length != 3) {
      return null;
    }
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(b64.decode(parts[0]));
      if (header == null || !"RS256".equals(header.path("alg").asText())) {
        return null; // never "none", never a symmetric algorithm keyed with the public key
      }
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(issuerKey);
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rs256.verify(b64.decode(parts[2]))) {
        return null;
      }
      JsonNode claims = JSON.readTree(b64.decode(parts[1]));
      java.time.Instant now = clock.instant();
      if (claims == null || !audienceMatches(claims.path("aud")) || !isSeconds(claims.path("exp"))
          || claims.has("nbf") && !isSeconds(claims.path("nbf"))) {
        return null;
      }
      long nowSeconds = now.getEpochSecond();
      long exp = claims.path("exp").asLong();
      long nbf = claims.has("nbf") ? claims.path("nbf").asLong() : Long.MIN_VALUE;
      // compared as seconds: an absurd exp or nbf is simply out of range, never an exception
      if (exp < nowSeconds - LEEWAY.toSeconds() || nbf != Long.MIN_VALUE && nbf > nowSeconds + LEEWAY.toSeconds()) {
        return null;
      }
      String upn = claims.path("upn").asText("");
      return !upn.isEmpty() ? upn : claims.path("unique_name").asText(null);
    } catch (IllegalArgumentException | java.io.IOException | GeneralSecurityException e) {
      return null;
    }
  }

  private static boolean isSeconds(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToLong();
  }

  private boolean audienceMatches(JsonNode aud) {
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (audience.equalsIgnoreCase(a.asText())) {
          return true;
        }
      }
      return false;
    }
    return audience.equalsIgnoreCase(aud.asText());
  }
}
