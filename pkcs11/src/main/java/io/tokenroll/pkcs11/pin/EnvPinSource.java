package io.tokenroll.pkcs11.pin;

import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;

/** Reads the PIN from an environment variable (for services whose manager injects secrets that way). */
public final class EnvPinSource implements PinSource {
  private final String variable;

  public EnvPinSource(String variable) {
    if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not an environment variable name: '" + variable + "'");
    }
    this.variable = variable;
  }

  @Override
  public Pin read(TokenInfo token, PinPurpose purpose) throws TokenException {
    String value = System.getenv(variable);
    if (value == null || value.isEmpty()) {
      throw new io.tokenroll.pkcs11.PinUnavailableException("environment variable " + variable + " (the "
          + purpose.description()
          + " source) is not set");
    }
    return Pin.of(value.toCharArray());
  }

  @Override
  public String toString() {
    return "env:" + variable;
  }
}
