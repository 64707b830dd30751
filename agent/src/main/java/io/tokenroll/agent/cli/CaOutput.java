package io.tokenroll.agent.cli;

import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.HResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/** What the {@code ca} commands show: certificates as PEM and as records, HRESULTs, and failures as exit codes. */
final class CaOutput {
  private CaOutput() {
  }

  record CertificateView(String subject, String issuer, String serial, String notBefore, String notAfter,
                         String sha256, String pem) {
  }

  /** A CertSrvException as the command's end: bad arguments (E_INVALIDARG) are exit 2, the rest exit 1. */
  static CliException failed(CertSrvException e) {
    return new CliException(e.hresult() == HResult.E_INVALIDARG ? ExitCodes.INVALID_INPUT : ExitCodes.FAILED,
        e.getMessage());
  }

  /** {@code 0x80094012}, as the JSON carries HRESULTs. */
  static String hex(int hresult) {
    return String.format("0x%08x", hresult);
  }

  /** {@code 0x80094012 (-2146877422) CERTSRV_E_TEMPLATE_DENIED}. */
  static String describe(int hresult) {
    String name = HResult.name(hresult);
    return HResult.hexAndDecimal(hresult) + (name == null ? "" : " " + name);
  }

  /** A BSTR-held binary result (CR_OUT_BINARY) as its bytes. */
  static byte[] bytes(String bstr) {
    return bstr.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The certificates of a DER certificate or certs-only PKCS#7, each followed by its issuer when present. */
  static List<X509Certificate> certificates(byte[] der) throws CertificateException {
    try {
      io.tokenroll.agent.encoding.DerBounds.check(der, "the CA's answer");
    } catch (io.tokenroll.agent.encoding.DerBounds.TooComplexException e) {
      throw new CertificateException(e.getMessage());
    }
    List<X509Certificate> bag = new ArrayList<>();
    try {
      CMSSignedData p7 = new CMSSignedData(der);
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (X509CertificateHolder h : p7.getCertificates().getMatches(null)) {
        bag.add(converter.getCertificate(h));
      }
    } catch (CMSException | RuntimeException e) {
      bag.add((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der)));
    }
    return chainOrder(bag);
  }

  /** Leaf (the certificate no other one names as issuer) first, then each issuer; anything else last. */
  static List<X509Certificate> chainOrder(List<X509Certificate> bag) {
    List<X509Certificate> left = new ArrayList<>(bag);
    List<X509Certificate> ordered = new ArrayList<>();
    X509Certificate current = left.stream().filter(c -> left.stream().noneMatch(o -> o != c
        && o.getIssuerX500Principal().equals(c.getSubjectX500Principal()))).findFirst().orElse(null);
    while (current != null) {
      ordered.add(current);
      left.remove(current);
      X509Certificate child = current;
      current = child.getIssuerX500Principal().equals(child.getSubjectX500Principal()) ? null
          : left.stream().filter(c -> c.getSubjectX500Principal().equals(child.getIssuerX500Principal()))
          .findFirst().orElse(null);
    }
    ordered.addAll(left);
    return ordered;
  }

  static String pem(List<X509Certificate> certs) throws CertificateException {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certs) {
      sb.append(Pem.encode("CERTIFICATE", c.getEncoded()));
    }
    return sb.toString();
  }

  static List<CertificateView> views(List<X509Certificate> certs) throws CertificateException {
    List<CertificateView> views = new ArrayList<>();
    for (X509Certificate c : certs) {
      views.add(new CertificateView(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
          c.getSerialNumber().toString(16), c.getNotBefore().toInstant().toString(),
          c.getNotAfter().toInstant().toString(), sha256(c.getEncoded()), Pem.encode("CERTIFICATE", c.getEncoded())));
    }
    return views;
  }

  private static String sha256(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
