package io.tokenroll.agent.http;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** HTTP Basic: one header, built once. */
final class BasicCredentials implements Credentials {
  private final String user;
  private final String header;

  private BasicCredentials(String user, String header) {
    this.user = user;
    this.header = header;
  }

  static BasicCredentials of(String user, char[] password) {
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
    return new BasicCredentials(user, header);
  }

  @Override
  public Attempt begin(URI target) {
    return () -> header;
  }

  @Override
  public String refusalHint() {
    return "check the user name and password of " + user;
  }

  @Override
  public String toString() {
    return "Basic " + user + ":[redacted]";
  }
}
