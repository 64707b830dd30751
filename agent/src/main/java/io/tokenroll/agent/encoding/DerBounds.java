package io.tokenroll.agent.encoding;

/**
 * Checks the shape of BER/DER bytes before a recursive decoder sees them. BouncyCastle's and the JDK's ASN.1
 * decoders recurse once per nesting level, so 2,000 nested SEQUENCEs (8 KB) overflow the thread's stack; this walk
 * is iterative and refuses such input with a message instead. Written here because neither library bounds the
 * depth: it only reads tags and lengths, and leaves decoding to them.
 *
 * <p>The walk also descends into OCTET STRING and BIT STRING contents that are themselves well-formed ASN.1 (a
 * CMS eContent, a certificate extension's value, a PKCS#12 SafeContents), since decoders parse those in turn.
 */
public final class DerBounds {
  /** Deeper than any certificate, CMC response, CSR or PFX seen in practice (they stay under 20). */
  public static final int MAX_DEPTH = 48;
  /** A CMC response with a chain, or a PFX, is a few KB; 4 MiB is far beyond any genuine one. */
  public static final int MAX_LENGTH = 4 << 20;

  private static final int OCTET_STRING = 0x04;
  private static final int BIT_STRING = 0x03;

  private DerBounds() {
  }

  /** The input does not have a shape any decoder should be given. */
  public static final class TooComplexException extends Exception {
    TooComplexException(String message) {
      super(message);
    }
  }

  /**
   * Refuses input that is longer than {@link #MAX_LENGTH}, nested deeper than {@link #MAX_DEPTH}, or whose tags and
   * lengths do not add up. {@code what} names the input in the message ("the PKCS#7").
   */
  public static void check(byte[] der, String what) throws TooComplexException {
    if (der.length > MAX_LENGTH) {
      throw new TooComplexException(what + " is larger than " + MAX_LENGTH + " bytes");
    }
    String problem = walk(der, 0, der.length, 0);
    if (problem != null) {
      throw new TooComplexException(what + " is not well-formed ASN.1: " + problem);
    }
  }

  /**
   * Walks the TLVs in {@code [from, to)} with an explicit stack; returns null when they are well-formed and shallow
   * enough, else what is wrong. {@code base} is the depth of the enclosing structure.
   */
  private static String walk(byte[] b, int from, int to, int base) {
    // ends[d] is where the constructed value open at depth d ends (-1: indefinite length, ends at 00 00)
    int[] ends = new int[MAX_DEPTH + 1];
    int depth = 0;
    int pos = from;
    while (true) {
      // close every value that ends here
      while (depth > 0 && (ends[depth - 1] == pos || ends[depth - 1] == -1 && pos + 1 < to && b[pos] == 0
          && b[pos + 1] == 0)) {
        if (ends[depth - 1] == -1) {
          pos += 2;
        }
        depth--;
      }
      if (pos == to) {
        return depth == 0 ? null : "truncated";
      }
      int limit = depth == 0 ? to : innermostEnd(ends, depth, to);
      if (pos >= limit) {
        return "a value runs past the end of the one that holds it";
      }
      int tag = b[pos] & 0xff;
      int p = pos + 1;
      if ((tag & 0x1f) == 0x1f) { // high tag number: base-128 digits
        int digits = 0;
        while (p < limit && (b[p] & 0x80) != 0) {
          p++;
          if (++digits > 4) {
            return "a tag number too long";
          }
        }
        p++;
      }
      if (p >= limit) {
        return "truncated";
      }
      int first = b[p++] & 0xff;
      boolean constructed = (tag & 0x20) != 0;
      long length;
      if (first < 0x80) {
        length = first;
      } else if (first == 0x80) {
        if (!constructed) {
          return "an indefinite length on a primitive value";
        }
        length = -1;
      } else {
        int n = first & 0x7f;
        if (n > 4 || p + n > limit) {
          return "a length that cannot be right";
        }
        length = 0;
        for (int i = 0; i < n; i++) {
          length = length << 8 | (b[p++] & 0xff);
        }
      }
      if (length >= 0 && p + length > limit) {
        return "a length past the end of the input";
      }
      if (constructed) {
        if (base + depth + 1 > MAX_DEPTH) {
          return "nested deeper than " + MAX_DEPTH + " levels";
        }
        ends[depth++] = length < 0 ? -1 : (int) (p + length);
        pos = p;
        continue;
      }
      int end = (int) (p + length);
      if ((tag == OCTET_STRING || tag == BIT_STRING) && length > 2) {
        int start = tag == BIT_STRING ? p + 1 : p; // a BIT STRING's first octet counts unused bits
        String nested = start < end && looksConstructed(b[start]) ? walk(b, start, end, base + depth + 1) : null;
        if (nested != null && nested.startsWith("nested deeper")) {
          return nested; // wrapped ASN.1 that decoders would parse in turn; other shapes are just bytes
        }
      }
      pos = end;
    }
  }

  private static int innermostEnd(int[] ends, int depth, int to) {
    for (int d = depth - 1; d >= 0; d--) {
      if (ends[d] >= 0) {
        return ends[d];
      }
    }
    return to;
  }

  /** A SEQUENCE, SET or context-tagged constructed value: the start of wrapped ASN.1 worth walking. */
  private static boolean looksConstructed(byte tag) {
    int t = tag & 0xff;
    return t == 0x30 || t == 0x31 || (t & 0xe0) == 0xa0;
  }
}
