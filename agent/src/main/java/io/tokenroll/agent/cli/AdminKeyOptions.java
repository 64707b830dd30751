package io.tokenroll.agent.cli;

import io.tokenroll.agent.http.PasswordSource;
import io.tokenroll.pkcs11.AdminKey;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
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
      key = HexFormat.of().parseHex(new String(hex).strip());
      session.authenticateAdministrator(AdminKey.local(key));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, "the management key from " + source + " is not hex");
    } finally {
      Arrays.fill(hex, '\0');
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }
}
