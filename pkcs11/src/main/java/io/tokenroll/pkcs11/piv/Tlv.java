package io.tokenroll.pkcs11.piv;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The BER-TLV of PIV data objects and responses (SP 800-73-4 Part 1, Appendix A), read flat: one level at a time,
 * tags of one or two bytes, lengths of up to three bytes. Written here rather than with BouncyCastle's ASN.1 parser
 * because PIV's TLV is not DER — tags like 0x7F49 and 0x53 carry application data, and a card's answers may hold
 * several values of the same level that BouncyCastle would reject. Everything a card sends passes through
 * {@link #read}, which refuses lengths beyond the input instead of trusting them.
 */
final class Tlv {
  private Tlv() {
  }

  /** The values at one level of {@code data}, by tag; a later value of the same tag replaces an earlier one. */
  static Map<Integer, byte[]> read(byte[] data) {
    Map<Integer, byte[]> values = new LinkedHashMap<>();
    int at = 0;
    while (at < data.length) {
      int tag = data[at++] & 0xff;
      if ((tag & 0x1f) == 0x1f) { // a two-byte tag (7F49, 5F..): one more byte
        need(data, at, 1);
        tag = (tag << 8) | (data[at++] & 0xff);
        if ((tag & 0x80) != 0) {
          throw new IllegalArgumentException("tags longer than two bytes are not PIV's");
        }
      }
      need(data, at, 1);
      int length = data[at++] & 0xff;
      if (length > 0x80) {
        int n = length & 0x7f;
        if (n > 3) {
          throw new IllegalArgumentException("a TLV length of " + n + " bytes");
        }
        need(data, at, n);
        length = 0;
        for (int i = 0; i < n; i++) {
          length = (length << 8) | (data[at++] & 0xff);
        }
      } else if (length == 0x80) {
        throw new IllegalArgumentException("indefinite TLV lengths are not PIV's");
      }
      need(data, at, length);
      values.put(tag, Arrays.copyOfRange(data, at, at + length));
      at += length;
    }
    return values;
  }

  /** The value of {@code tag} at the top of {@code data}, or an error naming what was expected. */
  static byte[] value(byte[] data, int tag, String what) {
    byte[] v = read(data).get(tag);
    if (v == null) {
      throw new IllegalArgumentException(what + ": tag " + Integer.toHexString(tag) + " missing");
    }
    return v;
  }

  private static void need(byte[] data, int at, int n) {
    if (n < 0 || at + n > data.length) {
      throw new IllegalArgumentException("a TLV runs past the end of its data");
    }
  }

  static byte[] of(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    if (tag > 0xff) {
      out.write(tag >> 8);
    }
    out.write(tag & 0xff);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write((n >> 8) & 0xff);
      out.write(n & 0xff);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
