package io.tokenroll.protocol.mimcm;

import java.util.Locale;

/**
 * A MIM CM enum sent on the wire as an integer. Clients must tolerate the names too, so each enum parses both.
 */
public interface MimEnum {
  int code();

  String name();

  /** Looks a value up by its integer or its name, case-insensitively; null when it matches nothing. */
  static <E extends Enum<E> & MimEnum> E parse(Class<E> type, Object value) {
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    for (E e : type.getEnumConstants()) {
      if (text.equals(String.valueOf(e.code())) || e.name().toLowerCase(Locale.ROOT)
          .equals(text.toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    return null;
  }
}
