package io.tokenroll.pkcs11;

import java.nio.file.Path;

/**
 * A token as the journal and the token lock name it: its provider — a PKCS#11 library's absolute path, or a
 * provider's name such as {@code piv} — with that provider's initialisation string, and the token's label and serial
 * (a PIV card's serial is its CHUID GUID). Enough to find the same token again in another process.
 */
public record TokenRef(Path module, String moduleArgs, String label, String serial) {

  /** The reference of {@code token}, found through {@code module}: a library path is made absolute. */
  public static TokenRef of(Path module, String moduleArgs, TokenInfo token) {
    return new TokenRef(normalised(module), moduleArgs, token.label(), token.serial());
  }

  /** A library's absolute path; a provider's name as it is. */
  public static Path normalised(Path module) {
    return module.equals(io.tokenroll.pkcs11.piv.PivModule.NAME) ? module : module.toAbsolutePath();
  }

  /** The URI that selects the token within its module: its label, and its serial when it has one. */
  public Pkcs11Uri uri() {
    Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:").withPathAttribute("token", label);
    return serial == null || serial.isBlank() ? uri : uri.withPathAttribute("serial", serial);
  }

  /** Loads the token's provider (balance with close). */
  public TokenModule load() throws TokenException {
    return TokenModule.load(module, moduleArgs);
  }
}
