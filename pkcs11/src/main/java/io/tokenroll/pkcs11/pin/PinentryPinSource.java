package io.tokenroll.pkcs11.pin;

import io.tokenroll.pkcs11.PinUnavailableException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Asks a person for the PIN through a GnuPG pinentry program — the dialog gpg-agent and ssh tools use on Linux
 * desktops (GNOME, KDE, curses, tty) — speaking its Assuan protocol: SETDESC, SETPROMPT, GETPIN, then the PIN in a
 * percent-escaped data line. The program shows its dialog on the desktop ({@code DISPLAY}, {@code WAYLAND_DISPLAY})
 * or on {@code GPG_TTY}, as for gpg. Hand-written because Assuan's client side is a few lines and no Java library
 * for it is kept up; bounded (lines, PIN length, a five-minute answer) like every reader of outside input.
 * Cancelled or unable to show a dialog, it says so as a PIN that cannot be had now: nothing reaches the token.
 */
public final class PinentryPinSource implements PinSource {
  static final int MAX_LINE = 16 * 1024;
  static final int MAX_PIN = 256;
  private static final long ANSWER_SECONDS = 300;
  private final Path program;
  private final Map<String, String> env;

  public PinentryPinSource(Path program, Map<String, String> env) {
    this.program = program;
    this.env = Map.copyOf(env);
  }

  /** The pinentry on the PATH ({@code pinentry}, which Debian points at the desktop's own), or the one named. */
  public static PinentryPinSource of(String spec) {
    Path program = spec.equals("pinentry") ? Path.of("/usr/bin/pinentry") : Path.of(spec.substring(9));
    return new PinentryPinSource(program, System.getenv());
  }

  @Override
  public Pin read(TokenInfo token, PinPurpose purpose) throws TokenException {
    if (!Files.isExecutable(program)) {
      throw new PinUnavailableException("no pinentry program at " + program + " (apt-get install pinentry-gnome3, "
          + "pinentry-qt or pinentry-curses)");
    }
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(program.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().putAll(env);
      p = pb.start();
    } catch (IOException e) {
      throw new PinUnavailableException("cannot start " + program + ": " + e.getMessage());
    }
    Thread watchdog = new Thread(() -> {
      try {
        if (!p.waitFor(ANSWER_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly(); // nobody answered: the read below ends, and the PIN is unavailable
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tokenroll-pinentry-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try (InputStream in = p.getInputStream(); OutputStream out = p.getOutputStream()) {
      expectOk(in, "greeting");
      String tty = env.get("GPG_TTY");
      if (tty != null && !tty.isBlank()) {
        command(in, out, "OPTION ttyname=" + escape(tty));
        command(in, out, "OPTION ttytype=" + escape(env.getOrDefault("TERM", "xterm")));
      }
      command(in, out, "SETTITLE tokenroll");
      command(in, out, "SETDESC " + escape("Enter the " + purpose.description() + " of " + token.describe() + "."));
      command(in, out, "SETPROMPT " + escape(purpose == PinPurpose.SECURITY_OFFICER ? "SO PIN:" : "PIN:"));
      send(out, "GETPIN");
      char[] pin = readPin(in);
      try {
        send(out, "BYE");
      } catch (IOException ignored) {
        // the PIN is what counts
      }
      return Pin.of(pin);
    } catch (IOException e) {
      throw new PinUnavailableException("pinentry (" + program + ") gave no PIN: " + e.getMessage());
    } finally {
      p.destroy();
    }
  }

  /** Reads GETPIN's answer: one data line with the percent-escaped PIN, then OK; ERR when cancelled. */
  static char[] readPin(InputStream in) throws IOException {
    char[] pin = null;
    while (true) {
      byte[] line = readLine(in);
      try {
        if (startsWith(line, "D ")) {
          if (pin != null) {
            Arrays.fill(pin, '\0');
          }
          pin = unescape(line, 2);
        } else if (startsWith(line, "OK")) {
          if (pin == null || pin.length == 0) {
            throw new IOException("no PIN entered");
          }
          return pin;
        } else if (startsWith(line, "ERR")) {
          if (pin != null) {
            Arrays.fill(pin, '\0');
          }
          throw new IOException(describe(line));
        } // S and # lines: status and comments
      } finally {
        Arrays.fill(line, (byte) 0);
      }
    }
  }

  private static void command(InputStream in, OutputStream out, String line) throws IOException {
    send(out, line);
    expectOk(in, line.split(" ", 2)[0]);
  }

  private static void expectOk(InputStream in, String what) throws IOException {
    while (true) {
      byte[] line = readLine(in);
      if (startsWith(line, "OK")) {
        return;
      }
      if (startsWith(line, "ERR")) {
        throw new IOException(what + ": " + describe(line));
      }
    }
  }

  private static void send(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One line, without its newline; refused beyond the bound, or when the program ends first. */
  static byte[] readLine(InputStream in) throws IOException {
    byte[] buf = new byte[256];
    int n = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        Arrays.fill(buf, (byte) 0);
        throw new IOException("pinentry ended without an answer (no display or terminal to ask on?)");
      }
      if (b == '\n') {
        byte[] line = Arrays.copyOf(buf, n);
        Arrays.fill(buf, (byte) 0);
        return line;
      }
      if (n == MAX_LINE) {
        Arrays.fill(buf, (byte) 0);
        throw new IOException("a line from pinentry longer than " + MAX_LINE + " bytes");
      }
      if (n == buf.length) {
        byte[] bigger = Arrays.copyOf(buf, buf.length * 2);
        Arrays.fill(buf, (byte) 0);
        buf = bigger;
      }
      buf[n++] = (byte) b;
    }
  }

  /** Assuan data: %XX escapes, UTF-8. */
  static char[] unescape(byte[] line, int from) throws IOException {
    byte[] raw = new byte[line.length - from];
    int n = 0;
    for (int i = from; i < line.length; i++) {
      if (line[i] == '%') {
        if (i + 2 >= line.length) {
          throw new IOException("a broken escape in pinentry's answer");
        }
        int hi = Character.digit(line[i + 1], 16);
        int lo = Character.digit(line[i + 2], 16);
        if (hi < 0 || lo < 0) {
          throw new IOException("a broken escape in pinentry's answer");
        }
        raw[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else {
        raw[n++] = line[i];
      }
    }
    try {
      var chars = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw, 0, n));
      char[] pin = new char[chars.remaining()];
      chars.get(pin);
      Arrays.fill(chars.array(), '\0');
      if (pin.length > MAX_PIN) {
        Arrays.fill(pin, '\0');
        throw new IOException("a PIN longer than " + MAX_PIN + " characters");
      }
      return pin;
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException("pinentry's answer is not UTF-8");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** Escapes what Assuan cannot carry in a line: %, CR, LF and every other control character. */
  static String escape(String text) {
    StringBuilder b = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '%' || c < 0x20 || c == 0x7f) {
        b.append(String.format("%%%02X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean startsWith(byte[] line, String prefix) {
    if (line.length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (line[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return line.length == prefix.length() || line[prefix.length()] == ' ' || prefix.endsWith(" ");
  }

  /** An ERR line's text ("ERR 83886179 Operation cancelled <Pinentry>"), without control characters. */
  private static String describe(byte[] line) {
    String s = new String(line, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
    return s.length() > 200 ? s.substring(0, 200) : s;
  }

  @Override
  public String toString() {
    return "pinentry:" + program;
  }
}
