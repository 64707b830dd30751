package io.tokenroll.cmserver.ca;

import java.math.BigInteger;

/** Random 128-bit positive certificate serial numbers. */
final class Serials {
  private Serials() {
  }

  static BigInteger next() {
    byte[] b = new byte[16];
    Keys.random().nextBytes(b);
    b[0] &= 0x7f;
    b[0] |= 0x40; // Always 16 significant bytes, never a leading zero octet to drop.
    return new BigInteger(1, b);
  }
}
