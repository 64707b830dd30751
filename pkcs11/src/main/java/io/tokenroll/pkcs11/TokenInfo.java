package io.tokenroll.pkcs11;

import java.util.List;
import java.util.Set;

/**
 * What a slot's token says about itself (C_GetTokenInfo), plus its mechanisms. A snapshot. A card reached over
 * PC/SC also has its {@code atr} (hex; null for tokens that are not cards in a reader).
 */
public record TokenInfo(long slotId, String slotDescription, String label, String serial, String manufacturer,
                        String model, Set<Flag> flags, PinStatus userPin, PinStatus soPin,
                        List<MechanismSupport> mechanisms, String atr) {

  public TokenInfo(long slotId, String slotDescription, String label, String serial, String manufacturer,
                   String model, Set<Flag> flags, PinStatus userPin, PinStatus soPin,
                   List<MechanismSupport> mechanisms) {
    this(slotId, slotDescription, label, serial, manufacturer, model, flags, userPin, soPin, mechanisms, null);
  }

  /** The token flags tokenroll acts on. */
  public enum Flag {
    TOKEN_INITIALIZED, USER_PIN_INITIALIZED, LOGIN_REQUIRED, WRITE_PROTECTED, PROTECTED_AUTHENTICATION_PATH,
    RNG, CLOCK_ON_TOKEN
  }

  public boolean has(Flag flag) {
    return flags.contains(flag);
  }

  public boolean supports(String mechanismName) {
    return mechanisms.stream().anyMatch(m -> m.name().equals(mechanismName));
  }

  /** "token 'label' (serial X, slot N)" — how messages name a token. */
  public String describe() {
    return "token '" + label + "' (serial " + serial + ", slot " + slotId + ")";
  }
}
