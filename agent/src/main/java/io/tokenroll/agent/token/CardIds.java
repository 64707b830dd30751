package io.tokenroll.agent.token;

import io.tokenroll.pkcs11.TokenInfo;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The card id a token is known by on the CM server: a name-based UUID of its manufacturer, model and serial —
 * stable across runs and machines. Tokens whose serial is not unique (every tpm2-pkcs11 token says 0000…) add their
 * label. A card with a GUID (PIV's CHUID) is known by its GUID.
 */
public final class CardIds {
  private CardIds() {
  }

  public static String of(TokenInfo t) {
    if (t.atr() != null && t.serial() != null && t.serial().matches("[0-9a-fA-F]{32}")) {
      // a card with a GUID (a PIV card's CHUID): the GUID is its card id, as MIM's minidriver-based clients send
      String g = t.serial().toLowerCase(java.util.Locale.ROOT);
      return g.substring(0, 8) + "-" + g.substring(8, 12) + "-" + g.substring(12, 16) + "-" + g.substring(16, 20)
          + "-" + g.substring(20);
    }
    boolean serialUseless = t.serial() == null || t.serial().isBlank() || t.serial().chars().allMatch(c -> c == '0');
    String name = "pkcs11:" + t.manufacturer() + "|" + t.model() + "|" + t.serial()
        + (serialUseless ? "|" + t.label() : "");
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
