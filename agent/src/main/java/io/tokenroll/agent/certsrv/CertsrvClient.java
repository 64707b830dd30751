package io.tokenroll.agent.certsrv;

import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.Encodings;
import io.tokenroll.protocol.certsrv.FullResponseProperty;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.ICertRequest2;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;

/**
 * ICertRequest2 over AD CS web enrollment ({@code /certsrv}), with Windows' statefulness: Submit, RetrievePending
 * and GetIssuedCertificate remember the last request's disposition, request id, status and message, which the Get*
 * methods read; the issued certificate and its chain are fetched on first use and kept. {@code strConfig} is the
 * web enrollment URL, e.g. {@code https://ca.example.com/certsrv}. See docs/ca-direct.md for each call's HTTP.
 *
 * <p>Outcomes are dispositions, as on Windows: issued, pending, denied (GetLastStatus holds the reason) and
 * revoked are returned. A failed call — an error page without a request id (an unknown id, a malformed request),
 * an HTTP or TLS failure, an answer that is not what AD CS sends — is a {@link CertSrvException} with its HRESULT,
 * which GetLastStatus then also returns. Not thread-safe, like the COM object in an apartment: one per caller.
 */
public final class CertsrvClient implements ICertRequest2 {
  /** CR_IN_* format codes web enrollment's FORMATANY submission accepts (reference §4.1). */
  private static final int[] FORMATS = {RequestFlags.CR_IN_FORMATANY, RequestFlags.CR_IN_PKCS10,
      RequestFlags.CR_IN_PKCS7, RequestFlags.CR_IN_CMC};

  private final CertsrvConnector connector;
  private WebEnrollment lastSite;
  private PageOutcome last = PageOutcome.NONE;
  private int lastStatus = HResult.S_OK;
  private X509Certificate leaf;
  private CMSSignedData chain;

  public CertsrvClient(CertsrvConnector connector) {
    this.connector = connector;
  }

  @Override
  public int submit(int flags, String request, String attributes, String config) throws CertSrvException {
    return remember(config, "the CA did not take the request", site -> {
      int format = flags & RequestFlags.CR_IN_FORMATMASK;
      if (Arrays.stream(FORMATS).noneMatch(f -> f == format)) {
        throw new CertSrvException(HResult.E_NOTIMPL, "request format 0x" + Integer.toHexString(format)
            + " cannot be submitted through web enrollment (PKCS#10, PKCS#7 and CMC can)");
      }
      return site.submit(Encodings.decodeRequest(request, flags), attributes);
    });
  }

  @Override
  public int retrievePending(int requestId, String config) throws CertSrvException {
    return remember(config, "request " + requestId, site -> {
      if (requestId <= 0) {
        throw new CertSrvException(HResult.E_INVALIDARG, "request id " + requestId + " is not a CA request id");
      }
      return site.checkPending(requestId);
    });
  }

  /** By request id, as RetrievePending. By serial number (id -1) there is no web enrollment page: E_NOTIMPL. */
  @Override
  public int getIssuedCertificate(String config, int requestId, String serialNumber) throws CertSrvException {
    if (requestId != -1) {
      return retrievePending(requestId, config);
    }
    return remember(config, "serial number " + serialNumber, site -> {
      if (serialNumber == null || serialNumber.isBlank()) {
        throw new CertSrvException(HResult.E_INVALIDARG, "request id -1 needs a serial number");
      }
      throw new CertSrvException(HResult.E_NOTIMPL, "web enrollment cannot look a certificate up by serial "
          + "number; give its request id (the serial lookup needs the CA's DCOM interface)");
    });
  }

  private interface Call {
    PageOutcome run(WebEnrollment site) throws CertSrvException;
  }

  /**
   * Forgets the previous request, runs this one and caches what it says. A failed call (an error page without a
   * request id) is thrown, its message prefixed with {@code subject}.
   */
  private int remember(String config, String subject, Call call) throws CertSrvException {
    last = PageOutcome.NONE;
    lastSite = null;
    leaf = null;
    chain = null;
    try {
      WebEnrollment site = connector.site(config);
      last = call.run(site);
      lastSite = site;
      lastStatus = last.status();
    } catch (CertSrvException e) {
      lastStatus = e.hresult();
      throw e;
    }
    if (last.failedCall()) {
      throw new CertSrvException(last.status(), subject + ": " + last.message());
    }
    return last.disposition();
  }

  @Override
  public int getLastStatus() {
    return lastStatus;
  }

  @Override
  public int getRequestId() {
    return last.requestId();
  }

  @Override
  public String getDispositionMessage() {
    return last.message();
  }

  /**
   * The last request's certificate ({@code certnew.cer}) or, with CR_OUT_CHAIN, the PKCS#7 with its chain
   * ({@code certnew.p7b}), which must hold that certificate. CR_OUT_CRLS is E_NOTIMPL: the page has no CRLs.
   */
  @Override
  public String getCertificate(int flags) throws CertSrvException {
    if (!last.issued()) {
      throw new CertSrvException(HResult.CERTSRV_E_PROPERTY_EMPTY, "no certificate: the last request "
          + (last == PageOutcome.NONE ? "was not made or failed" : "is " + Disposition.fromCode(last.disposition())));
    }
    if ((flags & OutputFlags.CR_OUT_CRLS) != 0) {
      throw new CertSrvException(HResult.E_NOTIMPL, "web enrollment does not return CRLs with a certificate");
    }
    if (leaf == null) {
      leaf = lastSite.certificate(last.requestId());
    }
    if ((flags & OutputFlags.CR_OUT_CHAIN) == 0) {
      return Encodings.encode(WebEnrollment.der(leaf), flags);
    }
    if (chain == null) {
      CMSSignedData p7 = lastSite.chain(last.requestId());
      if (!contains(p7, leaf)) {
        throw new CertSrvException(HResult.ERROR_INVALID_DATA, "certnew.p7b for request " + last.requestId()
            + " does not hold the certificate certnew.cer returned for it; refused");
      }
      chain = p7;
    }
    return Encodings.encode(WebEnrollment.der(chain), flags);
  }

  private static boolean contains(CMSSignedData p7, X509Certificate cert) throws CertSrvException {
    byte[] der = WebEnrollment.der(cert);
    for (X509CertificateHolder h : p7.getCertificates().getMatches(null)) {
      try {
        if (Arrays.equals(h.getEncoded(), der)) {
          return true;
        }
      } catch (java.io.IOException e) {
        return false;
      }
    }
    return false;
  }

  /**
   * The current CA signature certificate (certcarc.asp's nRenewals, then {@code certnew.cer?ReqID=CACert}), or its
   * chain with CR_OUT_CHAIN. Web enrollment serves no exchange certificate: {@code exchangeCertificate} != 0 is
   * E_NOTIMPL. Sets GetLastStatus, as on Windows.
   */
  @Override
  public String getCACertificate(int exchangeCertificate, String config, int flags) throws CertSrvException {
    try {
      WebEnrollment site = connector.site(config);
      if (exchangeCertificate != 0) {
        throw new CertSrvException(HResult.E_NOTIMPL, "web enrollment does not serve the CA exchange certificate");
      }
      if ((flags & OutputFlags.CR_OUT_CRLS) != 0) {
        throw new CertSrvException(HResult.E_NOTIMPL, "web enrollment does not return CRLs with the CA chain");
      }
      int k = site.renewals();
      String result = (flags & OutputFlags.CR_OUT_CHAIN) == 0
          ? Encodings.encode(WebEnrollment.der(site.caCertificate(k)), flags)
          : Encodings.encode(WebEnrollment.der(site.caChain(k)), flags);
      lastStatus = HResult.S_OK;
      return result;
    } catch (CertSrvException e) {
      lastStatus = e.hresult();
      throw e;
    }
  }

  @Override
  public String getErrorMessageText(int hresult, int flags) {
    return HResult.errorMessageText(hresult, flags);
  }

  @Override
  public Object getCAProperty(String config, int propId, int propIndex, int propType, int flags)
      throws CertSrvException {
    return WebCaProperties.read(connector.site(config), propId, propIndex, propType, flags);
  }

  @Override
  public int getCAPropertyFlags(String config, int propId) throws CertSrvException {
    CertsrvConnector.parseConfig(config);
    return WebCaProperties.property(propId).flags();
  }

  @Override
  public String getCAPropertyDisplayName(String config, int propId) throws CertSrvException {
    CertsrvConnector.parseConfig(config);
    return WebCaProperties.property(propId).displayName();
  }

  /** Web enrollment never returns a CMC full response, so every property of it is empty. */
  @Override
  public Object getFullResponseProperty(int propId, int propIndex, int propType, int flags)
      throws CertSrvException {
    try {
      FullResponseProperty.fromId(propId);
    } catch (IllegalArgumentException e) {
      throw new CertSrvException(HResult.E_INVALIDARG, "unknown full response property id " + propId);
    }
    throw new CertSrvException(HResult.CERTSRV_E_PROPERTY_EMPTY, "web enrollment returns no CMC full response");
  }
}
