package io.tokenroll.pkcs11.pin;

import java.util.Arrays;

/**
 * A PIN in memory: a char array that callers destroy as soon as the login is done. It never prints itself.
 * A {@code Pin} with no characters stands for "use the token's protected authentication path" (PIN pad).
 */
public final class Pin implements AutoCloseable {
  private final char[] chars;
  private final boolean protectedPath;
  private boolean destroyed;

  private Pin(char[] chars, boolean protectedPath) {
    this.chars = chars;
    this.protectedPath = protectedPath;
  }

  /** Takes ownership of {@code chars}; they are wiped by {@link #close()}. */
  public static Pin of(char[] chars) {
    if (chars.length == 0) {
      throw new IllegalArgumentException("empty PIN");
    }
    return new Pin(chars, false);
  }

  /** The PIN is entered on the reader's PIN pad; C_Login gets no PIN. */
  public static Pin protectedAuthenticationPath() {
    return new Pin(new char[0], true);
  }

  public boolean isProtectedAuthenticationPath() {
    return protectedPath;
  }

  /** The characters, for the one call that needs them. Null for a PIN pad. */
  public char[] chars() {
    if (destroyed) {
      throw new IllegalStateException("PIN already destroyed");
    }
    return protectedPath ? null : chars;
  }

  @Override
  public void close() {
    Arrays.fill(chars, '\0');
    destroyed = true;
  }

  @Override
  public String toString() {
    return protectedPath ? "Pin[pin pad]" : "Pin[redacted]";
  }
}
