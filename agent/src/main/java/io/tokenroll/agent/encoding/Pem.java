package io.tokenroll.agent.encoding;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM armour (RFC 7468) and reading certificates from PEM or DER bytes. */
public final class Pem {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private Pem() {
  }

  public static String encode(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** One decoded PEM block. */
  public record Block(String type, byte[] der) {
  }

  public static List<Block> decode(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("broken base64 in a PEM " + m.group(1) + " block");
      }
    }
    return blocks;
  }

  public static boolean looksLikePem(byte[] bytes) {
    return new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.US_ASCII).contains("-----BEGIN ");
  }

  /** Every X.509 certificate in PEM (any number of CERTIFICATE blocks) or a single DER certificate. */
  public static List<X509Certificate> certificates(byte[] bytes) throws CertificateException {
    try {
      return decodeCertificates(bytes);
    } catch (StackOverflowError e) { // a backstop behind the shape check
      throw new CertificateException("a certificate is nested too deeply to decode");
    }
  }

  private static List<X509Certificate> decodeCertificates(byte[] bytes) throws CertificateException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certs = new ArrayList<>();
    if (looksLikePem(bytes)) {
      for (Block b : decode(new String(bytes, StandardCharsets.US_ASCII))) {
        if (b.type().equals("CERTIFICATE")) {
          checkShape(b.der());
          certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
      if (certs.isEmpty()) {
        throw new CertificateException("no CERTIFICATE block in the PEM input");
      }
    } else {
      checkShape(bytes);
      certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(bytes)));
    }
    return certs;
  }

  private static void checkShape(byte[] der) throws CertificateException {
    try {
      DerBounds.check(der, "the certificate");
    } catch (DerBounds.TooComplexException e) {
      throw new CertificateException(e.getMessage());
    }
  }
}
