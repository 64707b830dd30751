package io.tokenroll.cmserver.certsrv;

import io.tokenroll.cmserver.ca.CaSession;
import io.tokenroll.cmserver.ca.CertificateAuthority;
import io.tokenroll.cmserver.ca.Requester;
import io.tokenroll.cmserver.http.Application;
import io.tokenroll.cmserver.http.Request;
import io.tokenroll.cmserver.http.Response;
import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * AD CS Web Enrollment ({@code /certsrv}) over the same CA core, one ICertRequest2 object per request as the ASP
 * pages create one: certfnsh.asp (Mode=newreq → Submit, Mode=chkpnd → RetrievePending), certnew.cer / .p7b
 * (GetCertificate, or ReqID=CACert → the CA certificate), certcarc.asp ({@code var nRenewals}), certcrl.crl, and
 * the home page as an authentication probe (reference §4.1–§4.2).
 */
public final class CertSrvApp implements Application {
  static final String PKIX_CERT = "application/pkix-cert";
  static final String PKCS7 = "application/x-pkcs7-certificates";
  static final String PKIX_CRL = "application/pkix-crl";

  private final CertificateAuthority ca;
  private final String caName;

  public CertSrvApp(CertificateAuthority ca) {
    this.ca = ca;
    this.caName = ca.keys().settings().caName();
  }

  @Override
  public String prefix() {
    return "/certsrv/";
  }

  @Override
  public Audience audience() {
    return Audience.USERS;
  }

  @Override
  public String realm() {
    return "certsrv";
  }

  @Override
  public Response error(int status, String message, String correlationId) {
    return Response.html(status, "<html><body><h2>" + status + " - " + message + "</h2></body></html>");
  }

  @Override
  public Response handle(Request r) {
    String page = r.path().toLowerCase(Locale.ROOT).replaceFirst("^/certsrv/?", "");
    CaSession session = ca.session(new Requester(r.user().name(), r.user().upn()));
    String method = r.method().toUpperCase(Locale.ROOT);
    try {
      return switch (page) {
        case "", "default.asp" -> CertSrvPages.home(caName);
        case "certfnsh.asp" -> method.equals("POST") ? finish(session, r) : CertSrvPages.notFound();
        case "certnew.cer" -> retrieve(session, r, false);
        case "certnew.p7b" -> retrieve(session, r, true);
        case "certcarc.asp" -> CertSrvPages.caPage(caName, (Integer) session.getCAProperty(ca.config(),
            CaProperty.CASIGCERTCOUNT.id(), 0, PropType.PROPTYPE_LONG, 0) - 1);
        case "certcrl.crl" -> crl(session, r);
        default -> CertSrvPages.notFound();
      };
    } catch (CertSrvException e) {
      return CertSrvPages.error(caName, e.getMessage(), e.hresult());
    }
  }

  private Response finish(CaSession session, Request r) throws CertSrvException {
    String mode = r.form().getOrDefault("mode", "");
    int disposition;
    if (mode.equalsIgnoreCase("newreq")) {
      String request = r.form().getOrDefault("certrequest", "");
      int flags = (request.contains("BEGIN") ? RequestFlags.CR_IN_BASE64HEADER : RequestFlags.CR_IN_BASE64)
          | RequestFlags.CR_IN_FORMATANY;
      disposition = session.submit(flags, request, r.form().getOrDefault("certattrib", ""), ca.config());
    } else if (mode.equalsIgnoreCase("chkpnd")) {
      disposition = session.retrievePending(requestId(r.form().get("reqid")), ca.config());
    } else {
      return CertSrvPages.error(caName, "Unknown mode '" + mode + "'.", HResult.E_INVALIDARG);
    }
    int id = session.getRequestId();
    return switch (disposition) {
      case Disposition.CR_DISP_ISSUED -> CertSrvPages.issued(caName, id);
      case Disposition.CR_DISP_UNDER_SUBMISSION -> CertSrvPages.pending(caName, id);
      case Disposition.CR_DISP_DENIED, Disposition.CR_DISP_REVOKED -> CertSrvPages.denied(caName, id,
          session.getDispositionMessage(), session.getLastStatus());
      default -> CertSrvPages.error(caName, session.getDispositionMessage(), session.getLastStatus());
    };
  }

  private static int requestId(String text) throws CertSrvException {
    try {
      return Integer.parseInt(text == null ? "" : text.trim());
    } catch (NumberFormatException e) {
      throw new CertSrvException(HResult.E_INVALIDARG, "ReqID must be a number");
    }
  }

  private Response retrieve(CaSession session, Request r, boolean chain) throws CertSrvException {
    boolean base64 = "b64".equalsIgnoreCase(r.query("enc"));
    int encoding = base64 ? OutputFlags.CR_OUT_BASE64HEADER : OutputFlags.CR_OUT_BINARY;
    String reqId = r.query("reqid");
    String body;
    if ("CACert".equalsIgnoreCase(reqId)) {
      int renewal = renewal(r);
      CaProperty p = chain ? CaProperty.CASIGCERTCHAIN : CaProperty.CASIGCERT;
      body = (String) session.getCAProperty(ca.config(), p.id(), renewal, PropType.PROPTYPE_BINARY, encoding);
    } else {
      int disposition;
      try {
        disposition = session.retrievePending(requestId(reqId), ca.config());
      } catch (CertSrvException e) {
        return CertSrvPages.notRetrievable(caName, HResult.errorMessageText(e.hresult(), 0), e.hresult());
      }
      if (disposition != Disposition.CR_DISP_ISSUED) {
        return CertSrvPages.notRetrievable(caName, session.getDispositionMessage(), session.getLastStatus());
      }
      body = session.getCertificate(encoding | (chain ? OutputFlags.CR_OUT_CHAIN : 0));
    }
    return Response.bytes(200, chain ? PKCS7 : PKIX_CERT, bytes(body, base64));
  }

  private Response crl(CaSession session, Request r) throws CertSrvException {
    boolean base64 = "b64".equalsIgnoreCase(r.query("enc"));
    int renewal = renewal(r);
    CaProperty p = "delta".equalsIgnoreCase(r.query("type")) ? CaProperty.DELTACRL : CaProperty.BASECRL;
    String body = (String) session.getCAProperty(ca.config(), p.id(), renewal, PropType.PROPTYPE_BINARY,
        base64 ? OutputFlags.CR_OUT_BASE64X509CRLHEADER : OutputFlags.CR_OUT_BINARY);
    return Response.bytes(200, PKIX_CRL, bytes(body, base64));
  }

  /** {@code Renewal=k}; -1 (some clients' "current") and a missing value mean the current certificate. */
  private static int renewal(Request r) throws CertSrvException {
    String text = r.query("renewal");
    if (text == null || text.isBlank()) {
      return 0;
    }
    int k = requestId(text);
    return k == -1 ? 0 : k;
  }

  private static byte[] bytes(String bstr, boolean text) {
    return bstr.getBytes(text ? StandardCharsets.US_ASCII : StandardCharsets.ISO_8859_1);
  }
}
