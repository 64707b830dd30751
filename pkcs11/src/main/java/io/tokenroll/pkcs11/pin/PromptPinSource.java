package io.tokenroll.pkcs11.pin;

import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import java.io.Console;

/** Asks on the terminal without echo. Fails clearly when there is no terminal (a service, a pipe). */
public final class PromptPinSource implements PinSource {
  @Override
  public Pin read(TokenInfo token, PinPurpose purpose) throws TokenException {
    Console console = System.console();
    if (console == null) {
      throw new io.tokenroll.pkcs11.PinUnavailableException("no terminal to ask for the " + purpose.description()
          + "; use --pin-source file:<path> or env:<VARIABLE>");
    }
    char[] pin = console.readPassword("%s for %s: ", capitalize(purpose.description()), token.describe());
    if (pin == null || pin.length == 0) {
      throw new TokenException("no " + purpose.description() + " entered");
    }
    return Pin.of(pin);
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  @Override
  public String toString() {
    return "prompt";
  }
}
