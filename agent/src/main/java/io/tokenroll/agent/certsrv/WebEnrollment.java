package io.tokenroll.agent.certsrv;

import io.tokenroll.agent.http.HttpTransport;
import io.tokenroll.agent.http.HttpTransport.Reply;
import io.tokenroll.agent.http.ServerException;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Encodings;
import io.tokenroll.protocol.certsrv.HResult;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * The pages of one AD CS web enrollment site ({@code https://host/certsrv/}) that carry ICertRequest2's calls
 * (reference §4.1–4.2). Every answer is checked before it is believed: HTML pages must be text/html and say one
 * thing; certificates, chains and CRLs must have their content type and parse as exactly that. Binary results
 * are asked for with {@code Enc=bin} and returned as DER.
 */
final class WebEnrollment {
  static final Set<String> CERTIFICATE_TYPES = Set.of("application/pkix-cert", "application/x-x509-ca-cert",
      "application/x-x509-user-cert");
  static final Set<String> PKCS7_TYPES = Set.of("application/x-pkcs7-certificates", "application/pkcs7-mime");
  static final Set<String> CRL_TYPES = Set.of("application/pkix-crl", "application/x-pkcs7-crl");

  private final HttpTransport http;

  WebEnrollment(HttpTransport http) {
    this.http = http;
  }

  URI base() {
    return http.base();
  }

  /** Submit: {@code POST certfnsh.asp Mode=newreq}. Not repeated after an unclear failure: it creates a request. */
  PageOutcome submit(byte[] request, String attributes) throws CertSrvException {
    String form = "Mode=newreq&CertRequest=" + url(Encodings.base64Lines(request))
        + "&CertAttrib=" + url(attributes == null ? "" : attributes)
        + "&FriendlyType=" + url("Saved-Request Certificate") + "&TargetStoreFlags=0&SaveCert=yes";
    return CertsrvPages.finishOutcome(page(post("certfnsh.asp", form, false), "certfnsh.asp"), "certfnsh.asp");
  }

  /** RetrievePending: {@code POST certfnsh.asp Mode=chkpnd&ReqID=n}, a read that may be repeated. */
  PageOutcome checkPending(int requestId) throws CertSrvException {
    String what = "certfnsh.asp (check pending request " + requestId + ")";
    PageOutcome o = CertsrvPages.finishOutcome(page(post("certfnsh.asp", "Mode=chkpnd&ReqID=" + requestId, true),
        what), what);
    if (o.requestId() != 0 && o.requestId() != requestId) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, what + " answered about request " + o.requestId()
          + "; refused");
    }
    return o.requestId() == 0 && !o.failedCall() ? new PageOutcome(o.disposition(), requestId, o.status(),
        o.message()) : o;
  }

  /** The issued certificate of a request: {@code certnew.cer?ReqID=n&Enc=bin}. */
  X509Certificate certificate(int requestId) throws CertSrvException {
    String path = "certnew.cer?ReqID=" + requestId + "&Enc=bin";
    return x509(binary(path, CERTIFICATE_TYPES), path);
  }

  /** The certificate with its chain, a certs-only PKCS#7: {@code certnew.p7b?ReqID=n&Enc=bin}. */
  CMSSignedData chain(int requestId) throws CertSrvException {
    String path = "certnew.p7b?ReqID=" + requestId + "&Enc=bin";
    return pkcs7(binary(path, PKCS7_TYPES), path);
  }

  /** certcarc.asp's {@code nRenewals}: the index of the current CA certificate (CASIGCERTCOUNT - 1). */
  int renewals() throws CertSrvException {
    return CertsrvPages.renewals(page(get("certcarc.asp"), "certcarc.asp"));
  }

  /** CA signature certificate number k: {@code certnew.cer?ReqID=CACert&Renewal=k&Enc=bin}. */
  X509Certificate caCertificate(int renewal) throws CertSrvException {
    String path = "certnew.cer?ReqID=CACert&Renewal=" + renewal + "&Enc=bin";
    X509Certificate ca = x509(binary(path, CERTIFICATE_TYPES), path);
    if (ca.getBasicConstraints() < 0) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, path + " answered a certificate that is not a CA "
          + "certificate ('" + ca.getSubjectX500Principal() + "'); refused");
    }
    return ca;
  }

  /** The chain of CA certificate k: {@code certnew.p7b?ReqID=CACert&Renewal=k&Enc=bin}. */
  CMSSignedData caChain(int renewal) throws CertSrvException {
    String path = "certnew.p7b?ReqID=CACert&Renewal=" + renewal + "&Enc=bin";
    return pkcs7(binary(path, PKCS7_TYPES), path);
  }

  /** The base or delta CRL of CA key k: {@code certcrl.crl?Type=base|delta&Renewal=k&Enc=bin}. */
  X509CRL crl(int renewal, boolean delta) throws CertSrvException {
    String path = "certcrl.crl?Type=" + (delta ? "delta" : "base") + "&Renewal=" + renewal + "&Enc=bin";
    byte[] der = binary(path, CRL_TYPES);
    try {
      X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
      if (!Arrays.equals(crl.getEncoded(), der)) {
        throw new java.security.cert.CRLException("trailing or non-DER data");
      }
      return crl;
    } catch (java.security.cert.CRLException | CertificateException e) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, path + " answered something that is not a DER CRL ("
          + e.getMessage() + "); refused", e);
    }
  }

  /** The CA name the home page shows; the home page is also where an authentication failure shows first. */
  String caName() throws CertSrvException {
    String html = page(get(""), "the home page");
    return CertsrvPages.caName(html).orElseThrow(() -> new CertSrvException(HResult.ERROR_INVALID_DATA,
        "the web enrollment home page does not show a CA name after its title"));
  }

  private Reply get(String path) throws CertSrvException {
    try {
      return http.exchange("GET", path, null, null, true);
    } catch (ServerException e) {
      throw TransportFailures.of(e, "GET " + pathOnly(path));
    }
  }

  private Reply post(String path, String form, boolean idempotent) throws CertSrvException {
    try {
      return http.exchange("POST", path, form.getBytes(StandardCharsets.US_ASCII),
          "application/x-www-form-urlencoded", idempotent);
    } catch (ServerException e) {
      throw TransportFailures.of(e, "POST " + path);
    }
  }

  /** The HTML of a 200 text/html answer. */
  private static String page(Reply r, String what) throws CertSrvException {
    if (r.status() != 200) {
      throw TransportFailures.unexpectedStatus(r.status(), r.location(), what);
    }
    if (!mediaType(r).equals("text/html")) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, what + " answered Content-Type '"
          + CertsrvPages.clean(r.contentType()) + "' where an HTML page was expected; refused");
    }
    return text(r);
  }

  /**
   * The body of a 200 answer of one of {@code types}. An HTML page instead is the page's own error report (the
   * request is pending, unknown, another user's …) and becomes that HRESULT.
   */
  private byte[] binary(String path, Set<String> types) throws CertSrvException {
    Reply r = get(path);
    String what = pathOnly(path);
    if (r.status() != 200) {
      throw TransportFailures.unexpectedStatus(r.status(), r.location(), what);
    }
    String type = mediaType(r);
    if (type.equals("text/html")) {
      CertsrvPages.ErrorReport report = CertsrvPages.errorReport(text(r), what).orElseThrow(() ->
          new CertSrvException(HResult.ERROR_INVALID_DATA, what + " answered an HTML page that is neither the "
              + "expected data nor a web enrollment error report; refused"));
      int status = report.status() != HResult.S_OK ? report.status() : HResult.CERTSRV_E_PROPERTY_EMPTY;
      throw new CertSrvException(status, what + " returned no data: " + report.message());
    }
    if (!types.contains(type)) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, what + " answered Content-Type '"
          + CertsrvPages.clean(r.contentType()) + "' instead of " + String.join(" or ", types.stream().sorted()
          .toList()) + "; refused");
    }
    if (r.body().length == 0) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, what + " answered an empty body; refused");
    }
    return r.body();
  }

  private static X509Certificate x509(byte[] der, String path) throws CertSrvException {
    shape(der, path, "a DER X.509 certificate");
    try {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      if (!Arrays.equals(c.getEncoded(), der)) {
        throw new CertificateException("trailing or non-DER data");
      }
      return c;
    } catch (CertificateException | RuntimeException e) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, pathOnly(path) + " answered something that is not "
          + "a DER X.509 certificate (" + e.getMessage() + "); refused", e);
    }
  }

  /** Refuses ASN.1 a recursive decoder would overflow its stack on, saying what was expected. */
  private static void shape(byte[] der, String path, String expected) throws CertSrvException {
    try {
      io.tokenroll.agent.encoding.DerBounds.check(der, "it");
    } catch (io.tokenroll.agent.encoding.DerBounds.TooComplexException e) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, pathOnly(path) + " answered something that is not "
          + expected + " (" + e.getMessage() + "); refused");
    }
  }

  private static CMSSignedData pkcs7(byte[] der, String path) throws CertSrvException {
    shape(der, path, "a PKCS#7 with certificates");
    try {
      CMSSignedData signed = new CMSSignedData(der);
      if (signed.getCertificates().getMatches(null).isEmpty()) {
        throw new CMSException("it holds no certificate");
      }
      return signed;
    } catch (CMSException | RuntimeException e) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, pathOnly(path) + " answered something that is not "
          + "a PKCS#7 with certificates (" + e.getMessage() + "); refused", e);
    }
  }

  static byte[] der(X509Certificate c) throws CertSrvException {
    try {
      return c.getEncoded();
    } catch (CertificateException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot encode a certificate", e);
    }
  }

  static byte[] der(CMSSignedData p7) throws CertSrvException {
    try {
      return p7.getEncoded();
    } catch (java.io.IOException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot encode a PKCS#7", e);
    }
  }

  static byte[] der(X509CRL crl) throws CertSrvException {
    try {
      return crl.getEncoded();
    } catch (java.security.cert.CRLException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot encode a CRL", e);
    }
  }

  private static String mediaType(Reply r) {
    String t = r.contentType() == null ? "" : r.contentType();
    int semi = t.indexOf(';');
    return (semi < 0 ? t : t.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** The page's text in the charset its Content-Type names (UTF-8 when it names none or an unknown one). */
  private static String text(Reply r) {
    Charset cs = StandardCharsets.UTF_8;
    for (String param : List.of(r.contentType().split(";"))) {
      String p = param.trim();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        try {
          cs = Charset.forName(p.substring(8).replace("\"", "").trim());
        } catch (RuntimeException e) {
          // unknown charset: the markers are ASCII, UTF-8 reads them
        }
      }
    }
    return new String(r.body(), cs);
  }

  private static String pathOnly(String path) {
    int q = path.indexOf('?');
    return q < 0 ? (path.isEmpty() ? "the home page" : path) : path.substring(0, q) + " (" + path.substring(q + 1)
        + ")";
  }

  private static String url(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
