package io.tokenroll.agent.token;

import io.tokenroll.pkcs11.TokenInfo;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The card id a token is known by on the CM server: a name-based UUID of its manufacturer, model and serial —
 * stable across runs and machines. Tokens whose serial is not unique (every tpm2-pkcs11 token says 0000…) add their
 * label.
 */
public final class CardIds {
  private CardIds() {
  }

  public static String of(TokenInfo t) {
    boolean serialUseless = t.serial() == null || t.serial().isBlank() || t.serial().chars().allMatch(c -> c == '0');
    String name = "pkcs11:" + t.manufacturer() + "|" + t.model() + "|" + t.serial()
        + (serialUseless ? "|" + t.label() : "");
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
