package io.tokenroll.pkcs11.pin;

import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;

/**
 * Where a PIN comes from: a file, an environment variable, an interactive no-echo prompt, or the token's
 * PIN pad. Never from a command-line argument. Each call returns a fresh {@link Pin} the caller closes.
 */
@FunctionalInterface
public interface PinSource {
  Pin read(TokenInfo token, PinPurpose purpose) throws TokenException;

  /**
   * Parses a pin-source spec: {@code file:<path>} (or a bare path, as in RFC 7512), {@code env:<VAR>},
   * {@code prompt}, {@code pinentry} (or {@code pinentry:<program>}: a desktop or terminal dialog), or
   * {@code pinpad}.
   */
  static PinSource parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty pin source");
    }
    if (spec.startsWith("env:")) {
      return new EnvPinSource(spec.substring(4));
    }
    if (spec.equals("prompt")) {
      return new PromptPinSource();
    }
    if (spec.equals("pinentry") || spec.startsWith("pinentry:/")) {
      return PinentryPinSource.of(spec);
    }
    if (spec.equals("pinpad") || spec.equals("protected-authentication-path")) {
      return (token, purpose) -> Pin.protectedAuthenticationPath();
    }
    String path = spec.startsWith("file:") ? spec.substring(5) : spec;
    if (path.startsWith("//")) {
      path = path.substring(2); // file:///path form
    }
    if (!path.startsWith("/") && !path.startsWith(".")) {
      // not echoed: a PIN typed here by mistake must not end up in logs
      throw new IllegalArgumentException("unknown pin source (use file:<path>, env:<VARIABLE>, prompt, pinentry or "
          + "pinpad)");
    }
    return new FilePinSource(java.nio.file.Path.of(path));
  }
}
