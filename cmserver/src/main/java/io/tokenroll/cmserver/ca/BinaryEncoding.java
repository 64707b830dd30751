package io.tokenroll.cmserver.ca;

import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The encodings Windows' CryptBinaryToString / CryptStringToBinary apply to ICertRequest2 inputs and outputs
 * ({@code CR_IN_*} encodings, {@code CR_OUT_*} encodings): base64 wrapped at 64 characters with CR LF, PEM-like
 * headers that always say CERTIFICATE (even around a PKCS#7), and BSTR-held binary (one byte per char).
 */
public final class BinaryEncoding {
  private static final String CERT_LABEL = "CERTIFICATE";
  private static final String REQUEST_LABEL = "NEW CERTIFICATE REQUEST";
  private static final String CRL_LABEL = "X509 CRL";

  private BinaryEncoding() {
  }

  /** Base64 in 64-character lines, each ending with CR LF, as in MIM's JSON example and Windows' output. */
  public static String base64Lines(byte[] data) {
    return base64Lines(data, "\r\n");
  }

  private static String base64Lines(byte[] data, String eol) {
    String b64 = Base64.getEncoder().encodeToString(data);
    StringBuilder sb = new StringBuilder(b64.length() + b64.length() / 32 + 2);
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append(eol);
    }
    return sb.toString();
  }

  /** Encodes binary output per a {@code CR_OUT_*} value; a certificate, PKCS#7 or CRL per {@code crl}. */
  public static String encode(byte[] data, int flags, boolean crl) throws CertSrvException {
    String eol = (flags & OutputFlags.CR_OUT_NOCRLF) != 0 ? "" : (flags & OutputFlags.CR_OUT_NOCR) != 0 ? "\n" : "\r\n";
    return switch (flags & OutputFlags.CR_OUT_ENCODEMASK) {
      case OutputFlags.CR_OUT_BINARY -> new String(data, StandardCharsets.ISO_8859_1);
      case OutputFlags.CR_OUT_BASE64 -> base64Lines(data, eol);
      case OutputFlags.CR_OUT_BASE64HEADER -> pem(crl ? CRL_LABEL : CERT_LABEL, data, eol);
      case OutputFlags.CR_OUT_BASE64REQUESTHEADER -> pem(REQUEST_LABEL, data, eol);
      case OutputFlags.CR_OUT_BASE64X509CRLHEADER -> pem(CRL_LABEL, data, eol);
      case OutputFlags.CR_OUT_HEXRAW -> HexFormat.of().formatHex(data) + eol;
      case OutputFlags.CR_OUT_HEX -> hexLines(data, eol);
      default -> throw new CertSrvException(HResult.E_INVALIDARG, "unsupported output encoding " + flags);
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

  /** Decodes a request per the encoding byte of {@code CR_IN_*} flags; ENCODEANY tries header, base64, binary. */
  public static byte[] decodeRequest(String request, int flags) throws CertSrvException {
    if (request == null || request.isEmpty()) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, "empty request");
    }
    int encoding = flags & RequestFlags.CR_IN_ENCODEMASK;
    try {
      return switch (encoding) {
        case RequestFlags.CR_IN_BINARY -> request.getBytes(StandardCharsets.ISO_8859_1);
        case RequestFlags.CR_IN_BASE64 -> base64(request);
        case RequestFlags.CR_IN_BASE64HEADER -> base64(stripHeaders(request));
        case RequestFlags.CR_IN_ENCODEANY -> request.contains("-----BEGIN") ? base64(stripHeaders(request))
            : looksBase64(request) ? base64(request) : request.getBytes(StandardCharsets.ISO_8859_1);
        default -> throw new CertSrvException(HResult.E_INVALIDARG, "unsupported request encoding " + encoding);
      };
    } catch (IllegalArgumentException e) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, "the request is not valid base64", e);
    }
  }

  /** Base64 that may carry CR, LF, spaces and tabs, as MIM's wrapped CSRs and pasted PEM do. */
  public static byte[] base64(String text) {
    return Base64.getMimeDecoder().decode(strictBase64(text));
  }

  // The MIME decoder silently skips any non-alphabet character; reject those so broken base64 is an error.
  private static String strictBase64(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
        continue;
      }
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
          || c == '=')) {
        throw new IllegalArgumentException("illegal base64 character 0x" + Integer.toHexString(c));
      }
      sb.append(c);
    }
    if (sb.length() % 4 != 0) {
      throw new IllegalArgumentException("base64 length is not a multiple of 4");
    }
    return sb.toString();
  }

  private static boolean looksBase64(String text) {
    try {
      base64(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String stripHeaders(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\r?\n")) {
      if (!line.startsWith("-----")) {
        sb.append(line.trim());
      }
    }
    return sb.toString();
  }
}
