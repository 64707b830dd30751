package io.tokenroll.pkcs11;

import java.util.ArrayList;
import java.util.List;

/**
 * The remaining-tries flags a token reports for its user PIN (CKF_USER_PIN_COUNT_LOW, _FINAL_TRY, _LOCKED,
 * _TO_BE_CHANGED). Tokens report no count, only these flags.
 */
public record PinStatus(boolean countLow, boolean finalTry, boolean locked, boolean toBeChanged) {
  public static final PinStatus OK = new PinStatus(false, false, false, false);

  /** One phrase for messages: "locked", "final try left", "tries count low", or "no failed tries reported". */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (locked) {
      parts.add("locked");
    } else if (finalTry) {
      parts.add("final try left");
    } else if (countLow) {
      parts.add("tries count low");
    }
    if (toBeChanged) {
      parts.add("must be changed");
    }
    return parts.isEmpty() ? "no failed tries reported" : String.join(", ", parts);
  }
}
