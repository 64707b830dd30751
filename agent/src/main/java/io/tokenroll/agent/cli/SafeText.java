package io.tokenroll.agent.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Text bound for a terminal, with control characters made visible. Much of what tokenroll prints comes from a
 * server (an item's Error, a disposition message, a CMC status string) or a token (labels): an ESC in it would be
 * obeyed by the terminal (clear the screen, rewrite earlier lines, set the window title), and a bidirectional
 * override would show text in another order than it is. Each such character is printed as {@code \\uNNNN}
 * instead — the one form that is also a valid escape inside a JSON string, so {@code --json} output stays JSON and
 * reads back as the same text; line breaks and tabs pass.
 */
final class SafeText {
  private SafeText() {
  }

  static String clean(String s) {
    return clean(s, false);
  }

  /**
   * Text for one line of output — a table's cell, a progress line, a token's label: as {@link #clean}, and line
   * breaks and tabs made visible too, so that a label cannot end a line and print a forged one after it.
   */
  static String field(String s) {
    return clean(s, true);
  }

  private static String clean(String s, boolean oneLine) {
    if (s == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (unsafe(c) || oneLine && (c == '\n' || c == '\t')) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(visible(c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** A writer that cleans everything written through it. */
  static PrintWriter writer(Writer target) {
    return new PrintWriter(new FilterWriter(target) {
      @Override
      public void write(int c) throws IOException {
        if (unsafe((char) c)) {
          out.write(visible((char) c));
        } else {
          out.write(c);
        }
      }

      @Override
      public void write(char[] buf, int off, int len) throws IOException {
        write(new String(buf, off, len), 0, len);
      }

      @Override
      public void write(String str, int off, int len) throws IOException {
        out.write(clean(str.substring(off, off + len)));
      }
    });
  }

  static boolean unsafe(char c) {
    if (c == '\n' || c == '\t') {
      return false;
    }
    return c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f // C0, DEL, C1 (0x9b is a one-byte CSI)
        || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' // bidirectional embeddings, isolates
        || c == '\u200e' || c == '\u200f' || c == '\u061c'; // direction marks
  }

  private static String visible(char c) {
    return String.format("\\u%04x", (int) c);
  }
}
