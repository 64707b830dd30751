package io.tokenroll.agent.encoding;

import java.io.ByteArrayOutputStream;

/**
 * Checks the shape of BER/DER bytes before a recursive decoder sees them. BouncyCastle's and the JDK's ASN.1
 * decoders recurse once per nesting level, so 2,000 nested SEQUENCEs (8 KB) overflow the thread's stack; this walk
 * is iterative and refuses such input with a message instead. Written here because neither library bounds the
 * depth: it only reads tags and lengths, and leaves decoding to them.
 *
 * <p>The walk also descends into OCTET STRING and BIT STRING contents that are themselves ASN.1 (a CMS eContent, a
 * certificate extension's value, a PKCS#12 SafeContents), since decoders parse those in turn — a BER string sent
 * in chunks is joined first, as decoders join it. Only the first value is checked: decoders read one and ignore
 * what follows (a DER file ending in a newline).
 */
public final class DerBounds {
  /** Deeper than any certificate, CMC response, CSR or PFX seen in practice (they stay under 20). */
  public static final int MAX_DEPTH = 48;
  /** A CMC response with a chain, or a PFX, is a few KB; 4 MiB is far beyond any genuine one. */
  public static final int MAX_LENGTH = 4 << 20;

  private static final int OCTET_STRING = 0x04;
  private static final int BIT_STRING = 0x03;
  private static final int CONSTRUCTED = 0x20;

  private DerBounds() {
  }

  /** The input does not have a shape any decoder should be given. */
  public static final class TooComplexException extends Exception {
    TooComplexException(String message) {
      super(message);
    }
  }

  /**
   * Refuses input that is longer than {@link #MAX_LENGTH}, nested deeper than {@link #MAX_DEPTH}, or whose first
   * value's tags and lengths do not add up. {@code what} names the input in the message ("the PKCS#7").
   */
  public static void check(byte[] der, String what) throws TooComplexException {
    if (der.length > MAX_LENGTH) {
      throw new TooComplexException(what + " is larger than " + MAX_LENGTH + " bytes");
    }
    String problem = der.length == 0 ? "empty" : new Walk(der, 0, der.length, 0, true).run();
    if (problem != null) {
      throw new TooComplexException(what + " is not well-formed ASN.1: " + problem);
    }
  }

  /**
   * One walk over the TLVs in {@code [from, to)} with an explicit stack, {@code base} levels below the top. Returns
   * null when they are well-formed and shallow enough, else what is wrong.
   */
  private static final class Walk {
    private final byte[] b;
    private final int from;
    private final int to;
    private final int base;
    private final boolean firstOnly;
    /** ends[d]: where the constructed value open at depth d ends (-1: indefinite length, ends at 00 00). */
    private final int[] ends = new int[MAX_DEPTH + 1];
    /** The depth of the outermost constructed (chunked) string being joined, or -1. */
    private int joiningAt = -1;
    private int joinedTag;
    private ByteArrayOutputStream joined;

    Walk(byte[] b, int from, int to, int base, boolean firstOnly) {
      this.b = b;
      this.from = from;
      this.to = to;
      this.base = base;
      this.firstOnly = firstOnly;
    }

    String run() {
      int depth = 0;
      int pos = from;
      while (true) {
        while (depth > 0 && (ends[depth - 1] == pos || ends[depth - 1] == -1 && pos + 1 < to && b[pos] == 0
            && b[pos + 1] == 0)) { // close every value that ends here
          if (ends[depth - 1] == -1) {
            pos += 2;
          }
          depth--;
          if (depth == joiningAt) {
            String nested = nested(joinedTag, joined.toByteArray(), 0, joined.size(), depth);
            if (nested != null) {
              return nested;
            }
            joiningAt = -1;
          }
        }
        if (depth == 0 && (pos == to || firstOnly && pos > from)) {
          return null;
        }
        if (pos >= to) {
          return "truncated";
        }
        int limit = depth == 0 ? to : innermostEnd(depth);
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
        boolean constructed = (tag & CONSTRUCTED) != 0;
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
          if (joiningAt < 0 && (tag == (OCTET_STRING | CONSTRUCTED) || tag == (BIT_STRING | CONSTRUCTED))) {
            joiningAt = depth; // a BER string in chunks: decoders join the chunks, so the walk does too
            joinedTag = tag & ~CONSTRUCTED;
            joined = new ByteArrayOutputStream();
          }
          ends[depth++] = length < 0 ? -1 : (int) (p + length);
          pos = p;
          continue;
        }
        int end = (int) (p + length);
        if (joiningAt >= 0 && (tag == OCTET_STRING || tag == BIT_STRING)) {
          int skip = tag == BIT_STRING && length > 0 ? 1 : 0; // a BIT STRING chunk starts with its unused bits
          joined.write(b, p + skip, end - p - skip);
        } else {
          String nested = nested(tag, b, p, end, depth);
          if (nested != null) {
            return nested;
          }
        }
        pos = end;
      }
    }

    private int innermostEnd(int depth) {
      for (int d = depth - 1; d >= 0; d--) {
        if (ends[d] >= 0) {
          return ends[d];
        }
      }
      return to;
    }

    /**
     * The verdict on a string's content that is itself ASN.1: only nesting counts against it (other shapes are
     * just bytes to the decoders that do not parse them).
     */
    private String nested(int tag, byte[] bytes, int start, int end, int depth) {
      if (tag != OCTET_STRING && tag != BIT_STRING) {
        return null;
      }
      int s = tag == BIT_STRING ? start + 1 : start; // a BIT STRING's first octet counts unused bits
      if (end - s <= 2 || !looksConstructed(bytes[s])) {
        return null;
      }
      String problem = new Walk(bytes, s, end, base + depth + 1, false).run();
      return problem != null && problem.startsWith("nested deeper") ? problem : null;
    }
  }

  /** A SEQUENCE, SET or context-tagged constructed value: the start of wrapped ASN.1 worth walking. */
  private static boolean looksConstructed(byte tag) {
    int t = tag & 0xff;
    return t == 0x30 || t == 0x31 || (t & 0xe0) == 0xa0;
  }
}
