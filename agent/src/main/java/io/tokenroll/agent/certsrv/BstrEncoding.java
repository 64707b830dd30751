package io.tokenroll.agent.certsrv;

import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The string forms ICertRequest2 passes binary data in, as Windows' CryptBinaryToString/CryptStringToBinary make
 * them: base64 in 64-character CR LF lines, PEM headers that say CERTIFICATE even around a PKCS#7 (X509 CRL for
 * CRLs), hex, and BSTR-held binary (one char per byte, ISO-8859-1).
 */
public final class BstrEncoding {
  /** What the bytes are, which picks the label of a BASE64HEADER encoding. */
  public enum Kind { CERTIFICATE, PKCS7, CRL }

  private BstrEncoding() {
  }

  /** Encodes per the {@code CR_OUT_*} encoding byte, honouring CR_OUT_NOCRLF and CR_OUT_NOCR. */
  public static String encode(byte[] der, int flags, Kind kind) throws CertSrvException {
    String eol = (flags & OutputFlags.CR_OUT_NOCRLF) != 0 ? "" : (flags & OutputFlags.CR_OUT_NOCR) != 0 ? "\n" : "\r\n";
    return switch (flags & OutputFlags.CR_OUT_ENCODEMASK) {
      case OutputFlags.CR_OUT_BINARY -> new String(der, StandardCharsets.ISO_8859_1);
      case OutputFlags.CR_OUT_BASE64 -> base64Lines(der, eol);
      case OutputFlags.CR_OUT_BASE64HEADER -> pem(kind == Kind.CRL ? "X509 CRL" : "CERTIFICATE", der, eol);
      case OutputFlags.CR_OUT_BASE64X509CRLHEADER -> pem("X509 CRL", der, eol);
      case OutputFlags.CR_OUT_BASE64REQUESTHEADER -> pem("NEW CERTIFICATE REQUEST", der, eol);
      case OutputFlags.CR_OUT_HEXRAW -> HexFormat.of().formatHex(der) + eol;
      case OutputFlags.CR_OUT_HEX -> hexLines(der, eol);
      case OutputFlags.CR_OUT_HEXASCII, OutputFlags.CR_OUT_HEXADDR, OutputFlags.CR_OUT_HEXASCIIADDR ->
          throw new CertSrvException(HResult.E_NOTIMPL, "the CR_OUT_HEX*ADDR/HEXASCII dump encodings are not "
              + "implemented; use CR_OUT_BINARY, CR_OUT_BASE64, CR_OUT_BASE64HEADER or CR_OUT_HEX");
      default -> throw new CertSrvException(HResult.E_INVALIDARG, "unknown output encoding 0x"
          + Integer.toHexString(flags & OutputFlags.CR_OUT_ENCODEMASK));
    };
  }

  /** The DER of a request given per the {@code CR_IN_*} encoding byte; ENCODEANY tries header, base64, binary. */
  public static byte[] decodeRequest(String request, int flags) throws CertSrvException {
    if (request == null || request.isBlank()) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, "the request is empty");
    }
    try {
      return switch (flags & RequestFlags.CR_IN_ENCODEMASK) {
        case RequestFlags.CR_IN_BINARY -> request.getBytes(StandardCharsets.ISO_8859_1);
        case RequestFlags.CR_IN_BASE64 -> base64(request);
        case RequestFlags.CR_IN_BASE64HEADER -> base64(withoutHeaders(request));
        case RequestFlags.CR_IN_ENCODEANY -> request.contains("-----BEGIN") ? base64(withoutHeaders(request))
            : isBase64(request) ? base64(request) : request.getBytes(StandardCharsets.ISO_8859_1);
        default -> throw new CertSrvException(HResult.E_INVALIDARG, "unknown request encoding 0x"
            + Integer.toHexString(flags & RequestFlags.CR_IN_ENCODEMASK));
      };
    } catch (IllegalArgumentException e) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, "the request is not valid base64: " + e.getMessage());
    }
  }

  /** Base64 in 64-character lines, each ending with {@code eol}. */
  public static String base64Lines(byte[] der, String eol) {
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder sb = new StringBuilder(b64.length() + b64.length() / 32 + 2);
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append(eol);
    }
    return sb.toString();
  }

  private static String pem(String label, byte[] der, String eol) {
    return "-----BEGIN " + label + "-----" + eol + base64Lines(der, eol) + "-----END " + label + "-----" + eol;
  }

  /** CRYPT_STRING_HEX: two-digit bytes separated by spaces, sixteen to a line, an extra space after eight. */
  private static String hexLines(byte[] der, String eol) {
    StringBuilder sb = new StringBuilder();
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < der.length; i++) {
      int col = i % 16;
      sb.append(col == 0 ? "" : col == 8 ? "  " : " ").append(hex.toHexDigits(der[i]));
      if (col == 15 || i == der.length - 1) {
        sb.append(eol);
      }
    }
    return sb.toString();
  }

  // The MIME decoder skips any character outside the alphabet; only line breaks and blanks may be skipped here.
  private static byte[] base64(String text) {
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
    byte[] der = Base64.getDecoder().decode(sb.toString());
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
