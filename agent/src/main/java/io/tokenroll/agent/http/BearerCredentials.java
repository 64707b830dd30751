package io.tokenroll.agent.http;

import java.net.URI;
import java.util.Arrays;

/**
 * An OAuth bearer token, as ADFS issues for the CM server's resource ({@code https://<fqdn>/certificatemanagement}).
 * The token is opaque here: the server judges it; we only refuse what cannot be a header value.
 */
final class BearerCredentials implements Credentials {
  static final int MAX_LENGTH = 16 * 1024;
  private final String header;

  private BearerCredentials(String header) {
    this.header = header;
  }

  static BearerCredentials of(char[] token) {
    try {
      String t = new String(token).strip();
      if (t.regionMatches(true, 0, "Bearer ", 0, 7)) {
        t = t.substring(7).strip();
      }
      if (t.isEmpty() || t.length() > MAX_LENGTH) {
        throw new IllegalArgumentException("the bearer token is empty or longer than " + MAX_LENGTH + " characters");
      }
      for (int i = 0; i < t.length(); i++) { // RFC 6750 b64token, which a JWT is
        char c = t.charAt(i);
        if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-._~+/=".indexOf(c) >= 0)) {
          throw new IllegalArgumentException("the bearer token holds a character a token cannot have, at position "
              + i + " (is it the right file?)");
        }
      }
      return new BearerCredentials("Bearer " + t);
    } finally {
      Arrays.fill(token, '\0');
    }
  }

  @Override
  public Attempt begin(URI target) {
    return () -> header;
  }

  @Override
  public String refusalHint() {
    return "the server refused the bearer token: it may have expired, or be for another resource than this server";
  }

  @Override
  public String toString() {
    return "Bearer [redacted]";
  }
}
