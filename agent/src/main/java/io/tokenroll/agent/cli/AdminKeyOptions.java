package io.tokenroll.agent.cli;

import io.tokenroll.agent.http.PasswordSource;
import io.tokenroll.pkcs11.AdminKey;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import java.io.IOException;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * The card administrator key for the token commands that write to a card which needs one (a PIV card's management
 * key), from a file, the environment or a prompt — never argv. Enrollments through MIM CM need none: the server
 * answers the card's challenge.
 */
final class AdminKeyOptions {
  @Option(names = "--admin-key-source", paramLabel = "<source>",
      description = "Where a card's management key (hex: 48 characters for 3DES and AES-192, 32 or 64 for AES) "
          + "comes from, for writes to a PIV card: file:<path>, env:<VARIABLE> or prompt.")
  String source;

  /** Authenticates as the card's administrator when the token needs it for writes; nothing otherwise. */
  void authenticate(TokenSession session) throws IOException, TokenException {
    if (!session.capabilities().administratorKey()) {
      return;
    }
    if (source == null) {
      throw new CliException(ExitCodes.INVALID_INPUT, session.info().describe() + " needs its management key to "
          + "write: give --admin-key-source file:<path>, env:<VARIABLE> or prompt (the key in hex)");
    }
    char[] hex = PasswordSource.read(source, "management key");
    byte[] key = null;
    try {
      key = decode(hex);
      if (key == null) {
        throw new CliException(ExitCodes.INVALID_INPUT, "the management key from " + source + " is not hex (48, 32 "
            + "or 64 hexadecimal characters)");
      }
      byte[] k = key;
      session.authenticateAdministrator((algorithm, challenge) -> AdminKey.encrypt(k, algorithm, challenge));
    } finally {
      Arrays.fill(hex, '\0');
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  /** Hex digits (white space around them allowed) into bytes, without a String that cannot be wiped; else null. */
  static byte[] decode(char[] text) {
    int from = 0;
    int to = text.length;
    while (from < to && Character.isWhitespace(text[from])) {
      from++;
    }
    while (to > from && Character.isWhitespace(text[to - 1])) {
      to--;
    }
    if ((to - from) % 2 != 0 || to == from) {
      return null;
    }
    byte[] out = new byte[(to - from) / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(text[from + 2 * i], 16);
      int lo = Character.digit(text[from + 2 * i + 1], 16);
      if (hi < 0 || lo < 0) {
        Arrays.fill(out, (byte) 0);
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }
}
