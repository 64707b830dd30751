package io.tokenroll.agent.http;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the server password comes from — like PINs: {@code file:<path>} (first line), {@code env:<VARIABLE>} or
 * {@code prompt}; never the command line. Only the source is ever stored (in the journal), not the password.
 */
public final class PasswordSource {
  private PasswordSource() {
  }

  /** A password is a line; a file far longer is the wrong file. */
  static final int MAX_FILE_BYTES = 4096;

  public static char[] read(String spec, String what) throws IOException {
    return read(spec, what, MAX_FILE_BYTES);
  }

  /** Like {@link #read(String, String)}, for secrets longer than a password (a bearer token). */
  public static char[] read(String spec, String what, int maxFileBytes) throws IOException {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("no source for the " + what
          + ": give --password-source file:<path>, env:<VARIABLE> or prompt");
    }
    if (spec.startsWith("env:")) {
      String v = System.getenv(spec.substring(4));
      if (v == null || v.isEmpty()) {
        throw new IOException("environment variable " + spec.substring(4) + " (the " + what + ") is not set");
      }
      return v.toCharArray();
    }
    if (spec.equals("prompt")) {
      Console c = System.console();
      if (c == null) {
        throw new IOException("no terminal to ask for the " + what + "; use file:<path> or env:<VARIABLE>");
      }
      char[] p = c.readPassword("%s: ", what);
      if (p == null || p.length == 0) {
        throw new IOException("no " + what + " entered");
      }
      return p;
    }
    if (!spec.startsWith("file:")) {
      throw new IllegalArgumentException("unknown source for the " + what + " (use file:<path>, env:<VARIABLE> or "
          + "prompt)");
    }
    Path f = Path.of(spec.substring(5));
    byte[] bytes;
    try (var in = Files.newInputStream(f)) { // a stream: a FIFO or <(…) has no size, and may never end
      bytes = in.readNBytes(maxFileBytes + 1);
    } catch (IOException e) {
      throw new IOException("cannot read " + f + " for the " + what + ": " + io.tokenroll.pkcs11.IoFailures.why(e), e);
    }
    try {
      if (bytes.length > maxFileBytes) {
        throw new IOException("the " + what + " file " + f + " is larger than " + maxFileBytes + " bytes; is it "
            + "the right file?");
      }
      java.nio.CharBuffer text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new IOException("the " + what + " file " + f + " is not UTF-8 text");
      }
      int end = 0;
      while (end < text.limit() && text.get(end) != '\n' && text.get(end) != '\r') {
        end++;
      }
      char[] first = new char[end];
      text.get(first, 0, end);
      java.util.Arrays.fill(text.array(), '\0');
      if (first.length == 0) {
        throw new IOException("the " + what + " file " + f + " is empty");
      }
      return first;
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }
}
