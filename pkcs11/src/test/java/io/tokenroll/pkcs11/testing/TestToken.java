package io.tokenroll.pkcs11.testing;

import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.pin.PinSource;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real token made for one test: its library, how to select it, and PIN files (mode 0600, on tmpfs where
 * possible). {@code environment} is what a child process (the CLI, pkcs11-tool) needs to see the same token.
 */
public record TestToken(String backend, TokenModule module, TokenInfo info, Path library, String initArgs,
                        Path userPinFile, Path soPinFile, Map<String, String> environment) {

  public Pkcs11Uri uri() {
    return Pkcs11Uri.forToken(info);
  }

  /** The URI with module-path and pin-source, as a CLI user would write it. */
  public String cliUri() {
    return uri() + "?module-path=" + library + "&pin-source=file:" + userPinFile;
  }

  public PinSource userPins() {
    return PinSource.parse("file:" + userPinFile);
  }

  public PinSource soPins() {
    return PinSource.parse("file:" + soPinFile);
  }

  /** A session logged in as the user. */
  public TokenSession open() throws TokenException {
    return module.open(uri(), userPins());
  }

  public String label() {
    return info.label();
  }
}
