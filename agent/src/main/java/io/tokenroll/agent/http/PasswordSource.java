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

  public static char[] read(String spec, String what) throws IOException {
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
    String text = Files.readString(f, StandardCharsets.UTF_8);
    String first = text.lines().findFirst().orElse("");
    if (first.isEmpty()) {
      throw new IOException("the " + what + " file " + f + " is empty");
    }
    return first.toCharArray();
  }
}
