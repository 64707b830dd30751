package io.tokenroll.protocol.certsrv;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The string forms ICertRequest2 passes binary data in, as Windows' CryptBinaryToString / CryptStringToBinary make
 * them: the {@code CR_OUT_*} output encodings (base64 in 64-character CR LF lines, PEM-like headers that say
 * CERTIFICATE even around a PKCS#7 or a CMC response and X509 CRL around a CRL, hex, and BSTR-held binary: one char
 * per byte, ISO-8859-1) and the {@code CR_IN_*} request encodings. The CA (cmserver) and the client (the agent's
 * certsrv client) both use this one copy.
 */
public final class Encodings {
  private static final String CERTIFICATE = "CERTIFICATE";
  private static final String REQUEST = "NEW CERTIFICATE REQUEST";
  private static final String CRL = "X509 CRL";

  private Encodings() {
  }

  /** Base64 in 64-character lines, each ending with CR LF, as in MIM's JSON example and Windows' output. */
  public static String base64Lines(byte[] data) {
    return base64Lines(data, "\r\n");
  }

  /** Base64 in 64-character lines, each ending with {@code eol}. */
  public static String base64Lines(byte[] data, String eol) {
    String b64 = Base64.getEncoder().encodeToString(data);
    StringBuilder sb = new StringBuilder(b64.length() + b64.length() / 32 + 2);
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append(eol);
    }
    return sb.toString();
  }

  /**
   * Encodes anything but a CRL (a certificate, a PKCS#7, a CMC response, a hash) per the {@code CR_OUT_*} encoding
   * byte of {@code flags}, honouring CR_OUT_NOCRLF and CR_OUT_NOCR. CR_OUT_BASE64HEADER says CERTIFICATE.
   */
  public static String encode(byte[] data, int flags) throws CertSrvException {
    return encode(data, flags, CERTIFICATE);
  }

  /** Like {@link #encode(byte[], int)} for a CRL: CR_OUT_BASE64HEADER says X509 CRL. */
  public static String encodeCrl(byte[] crl, int flags) throws CertSrvException {
    return encode(crl, flags, CRL);
  }

  private static String encode(byte[] data, int flags, String headerLabel) throws CertSrvException {
    String eol = (flags & OutputFlags.CR_OUT_NOCRLF) != 0 ? "" : (flags & OutputFlags.CR_OUT_NOCR) != 0 ? "\n" : "\r\n";
    return switch (flags & OutputFlags.CR_OUT_ENCODEMASK) {
      case OutputFlags.CR_OUT_BINARY -> new String(data, StandardCharsets.ISO_8859_1);
      case OutputFlags.CR_OUT_BASE64 -> base64Lines(data, eol);
      case OutputFlags.CR_OUT_BASE64HEADER -> pem(headerLabel, data, eol);
      case OutputFlags.CR_OUT_BASE64REQUESTHEADER -> pem(REQUEST, data, eol);
      case OutputFlags.CR_OUT_BASE64X509CRLHEADER -> pem(CRL, data, eol);
      case OutputFlags.CR_OUT_HEXRAW -> HexFormat.of().formatHex(data) + eol;
      case OutputFlags.CR_OUT_HEX -> hexLines(data, eol);
      case OutputFlags.CR_OUT_HEXASCII, OutputFlags.CR_OUT_HEXADDR, OutputFlags.CR_OUT_HEXASCIIADDR ->
          throw new CertSrvException(HResult.E_NOTIMPL, "the CR_OUT_HEX*ADDR/HEXASCII dump encodings are not "
              + "implemented; use CR_OUT_BINARY, CR_OUT_BASE64, CR_OUT_BASE64HEADER or CR_OUT_HEX");
      default -> throw new CertSrvException(HResult.E_INVALIDARG, "unknown output encoding 0x"
          + Integer.toHexString(flags & OutputFlags.CR_OUT_ENCODEMASK));
    };
  }

  private static String pem(String label, byte[] data, String eol) {
    return "-----BEGIN " + label + "-----" + eol + base64Lines(data, eol) + "-----END " + label + "-----" + eol;
  }

  /** CRYPT_STRING_HEX: two-digit bytes separated by spaces, sixteen to a line, an extra space after eight. */
  private static String hexLines(byte[] data, String eol) {
    StringBuilder sb = new StringBuilder();
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < data.length; i++) {
      int col = i % 16;
      sb.append(col == 0 ? "" : col == 8 ? "  " : " ").append(hex.toHexDigits(data[i]));
      if (col == 15 || i == data.length - 1) {
        sb.append(eol);
      }
    }
    return sb.toString();
  }

  /**
   * The DER of a request given per the {@code CR_IN_*} encoding byte of {@code flags}; CR_IN_ENCODEANY tries a
   * header, then base64, then binary. Blank input, or base64 that is broken or decodes to nothing, is
   * ERROR_INVALID_DATA; an unknown encoding is E_INVALIDARG.
   */
  public static byte[] decodeRequest(String request, int flags) throws CertSrvException {
    if (request == null || request.isBlank()) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, "the request is empty");
    }
    try {
      return switch (flags & RequestFlags.CR_IN_ENCODEMASK) {
        case RequestFlags.CR_IN_BINARY -> request.getBytes(StandardCharsets.ISO_8859_1);
        case RequestFlags.CR_IN_BASE64 -> nonEmpty(base64(request));
        case RequestFlags.CR_IN_BASE64HEADER -> nonEmpty(base64(withoutHeaders(request)));
        case RequestFlags.CR_IN_ENCODEANY -> request.contains("-----BEGIN") ? nonEmpty(base64(withoutHeaders(request)))
            : isBase64(request) ? nonEmpty(base64(request)) : request.getBytes(StandardCharsets.ISO_8859_1);
        default -> throw new CertSrvException(HResult.E_INVALIDARG, "unknown request encoding 0x"
            + Integer.toHexString(flags & RequestFlags.CR_IN_ENCODEMASK));
      };
    } catch (IllegalArgumentException e) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, "the request is not valid base64: " + e.getMessage(), e);
    }
  }

  /**
   * Strict base64 that may be wrapped: CR, LF, spaces and tabs are skipped (MIM's wrapped CSRs, pasted PEM), any
   * other character outside the alphabet, or a length that is not a multiple of 4, throws
   * IllegalArgumentException. (The JDK's MIME decoder alone would silently skip such characters.)
   */
  public static byte[] base64(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
        continue;
      }
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
          || c == '=')) {
        throw new IllegalArgumentException("character 0x" + Integer.toHexString(c) + " is not base64");
      }
      sb.append(c);
    }
    if (sb.length() % 4 != 0) {
      throw new IllegalArgumentException("the base64 length is not a multiple of 4");
    }
    return Base64.getMimeDecoder().decode(sb.toString());
  }

  private static byte[] nonEmpty(byte[] der) {
    if (der.length == 0) {
      throw new IllegalArgumentException("nothing to decode");
    }
    return der;
  }

  private static boolean isBase64(String text) {
    try {
      base64(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String withoutHeaders(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\r?\n")) {
      if (!line.startsWith("-----")) {
        sb.append(line.trim());
      }
    }
    return sb.toString();
  }
}
