package io.tokenroll.pkcs11.piv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The PIV data objects tokenroll reads and writes (SP 800-73-4 Part 1, Appendix A): the CHUID, whose GUID names
 * the card, and the certificate objects of the key slots — {@code 53 { 70 cert, 71 CertInfo, FE LRC }}, where
 * CertInfo 01 means the certificate is gzip-compressed (some issuers compress to fit 3 KB objects).
 */
final class PivObjects {
  static final int CHUID = 0x5FC102;
  static final int KEY_HISTORY = 0x5FC10C;
  /** The largest certificate tokenroll accepts from a card, compressed or not. */
  static final int MAX_CERTIFICATE = 16 * 1024;

  private PivObjects() {
  }

  /** The CHUID's GUID (tag 34, 16 bytes) in hex; null when the object has none (an all-zero GUID is one). */
  static String guid(byte[] chuidObject) {
    byte[] guid = Tlv.read(Tlv.value(chuidObject, 0x53, "CHUID")).get(0x34);
    if (guid == null || guid.length != 16) {
      return null;
    }
    for (byte b : guid) {
      if (b != 0) {
        return HexFormat.of().formatHex(guid);
      }
    }
    return null; // all zeros: a GUID no card is known by
  }

  /** The certificate in a slot's object, or null for an empty object (53 00, as a cleared slot has). */
  static X509Certificate certificate(byte[] object) {
    byte[] content = Tlv.value(object, 0x53, "certificate object");
    if (content.length == 0) {
      return null;
    }
    Map<Integer, byte[]> values = Tlv.read(content);
    byte[] der = values.get(0x70);
    if (der == null || der.length == 0) {
      return null;
    }
    byte[] info = values.get(0x71);
    if (info != null && info.length == 1 && (info[0] & 0x01) != 0) {
      der = gunzip(der);
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
          new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("the certificate object holds no X.509 certificate: " + e.getMessage());
    }
  }

  /** The object for a certificate, uncompressed: 53 { 70 DER, 71 00, FE (empty error-detection code) }. */
  static byte[] certificateObject(X509Certificate certificate) {
    try {
      return Tlv.of(0x53, Tlv.concat(Tlv.of(0x70, certificate.getEncoded()), Tlv.of(0x71, new byte[] {0}),
          Tlv.of(0xFE, new byte[0])));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * The key-history object: how many retired slots hold their certificate on the card (C1), how many keep it off
   * the card (C2, always 0 here).
   */
  static byte[] keyHistory(int onCard) {
    return Tlv.of(0x53, Tlv.concat(Tlv.of(0xC1, new byte[] {(byte) onCard}), Tlv.of(0xC2, new byte[] {0}),
        Tlv.of(0xFE, new byte[0])));
  }

  /** An empty object: what clears a slot's certificate. */
  static byte[] emptyObject() {
    return Tlv.of(0x53, new byte[0]);
  }

  /** The tag list that names a data object in GET DATA and PUT DATA: 5C 03 5F C1 xx. */
  static byte[] tagList(int tag) {
    return Tlv.of(0x5C, new byte[] {(byte) (tag >> 16), (byte) (tag >> 8), (byte) tag});
  }

  /** PUT DATA's data: the object's tag list, then its content. */
  static byte[] putData(int tag, byte[] object) {
    return Tlv.concat(tagList(tag), object);
  }

  /** Decompresses at most {@link #MAX_CERTIFICATE} bytes: a card cannot make us inflate a bomb. */
  private static byte[] gunzip(byte[] data) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_CERTIFICATE) {
          throw new IllegalArgumentException("the compressed certificate inflates beyond " + MAX_CERTIFICATE
              + " bytes");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalArgumentException("the compressed certificate cannot be inflated: " + e.getMessage());
    }
  }
}
