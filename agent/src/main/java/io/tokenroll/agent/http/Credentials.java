package io.tokenroll.agent.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** How the client authenticates over HTTP: HTTP Basic, or nothing (TLS client certificate, or anonymous). */
public final class Credentials {
  public static final Credentials NONE = new Credentials(null, null);

  private final String user;
  private final String header;

  private Credentials(String user, String header) {
    this.user = user;
    this.header = header;
  }

  /** HTTP Basic; the password array is wiped once the header is built. */
  public static Credentials basic(String user, char[] password) {
    if (user.contains(":")) {
      throw new IllegalArgumentException("a user name for HTTP Basic cannot contain ':'");
    }
    CharBuffer chars = CharBuffer.allocate(user.length() + 1 + password.length);
    chars.put(user).put(':').put(password).flip();
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
    byte[] raw = new byte[bytes.remaining()];
    bytes.get(raw);
    String header = "Basic " + Base64.getEncoder().encodeToString(raw);
    Arrays.fill(raw, (byte) 0);
    Arrays.fill(chars.array(), '\0');
    Arrays.fill(password, '\0');
    return new Credentials(user, header);
  }

  public String authorizationHeader() {
    return header;
  }

  public String user() {
    return user;
  }

  @Override
  public String toString() {
    return user == null ? "no credentials" : "Basic " + user + ":[redacted]";
  }
}
