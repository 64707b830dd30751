package io.tokenroll.cmserver.ca;

import io.tokenroll.cmserver.store.CaRecord;
import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Encodings;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.ICertRequest2;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One caller's ICertRequest2 object over the {@link CertificateAuthority}, with Windows' statefulness: Submit,
 * RetrievePending and GetIssuedCertificate remember the last request, which GetLastStatus, GetRequestId,
 * GetDispositionMessage, GetCertificate and GetFullResponseProperty then read. Not thread-safe, like the COM object
 * in an apartment; make one per caller.
 */
public final class CaSession implements ICertRequest2 {
  private static final Pattern LINES = Pattern.compile("[\r\n]+");

  private final CertificateAuthority ca;
  private final Requester requester;
  private CaRecord last;
  private boolean fullResponseAvailable;
  private FullResponse fullResponse;

  CaSession(CertificateAuthority ca, Requester requester) {
    this.ca = ca;
    this.requester = requester;
  }

  @Override
  public int submit(int flags, String request, String attributes, String config) throws CertSrvException {
    checkConfig(config);
    int format = flags & RequestFlags.CR_IN_FORMATMASK;
    if (format != RequestFlags.CR_IN_FORMATANY && format != RequestFlags.CR_IN_PKCS10) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, "cmserver accepts PKCS#10 requests only");
    }
    byte[] der = Encodings.decodeRequest(request, flags);
    remember(ca.submit(der, parseAttributes(attributes), requester),
        (flags & RequestFlags.CR_IN_FULLRESPONSE) != 0);
    return last.disposition();
  }

  /** {@code "Name:Value"} lines; names compare without spaces, hyphens or case, values are trimmed. */
  static Map<String, String> parseAttributes(String attributes) {
    Map<String, String> out = new HashMap<>();
    if (attributes == null) {
      return out;
    }
    for (String line : LINES.split(attributes)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).replace(" ", "").replace("-", "").toLowerCase(Locale.ROOT);
        out.putIfAbsent(name, line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  @Override
  public int retrievePending(int requestId, String config) throws CertSrvException {
    checkConfig(config);
    remember(owned(ca.find(requestId).orElse(null)), true);
    return last.disposition();
  }

  @Override
  public int getIssuedCertificate(String config, int requestId, String serialNumber) throws CertSrvException {
    checkConfig(config);
    if (requestId == -1) {
      BigInteger serial;
      try {
        serial = new BigInteger(serialNumber.replace(" ", ""), 16);
      } catch (RuntimeException e) {
        throw new CertSrvException(HResult.E_INVALIDARG, "bad serial number");
      }
      remember(owned(ca.findBySerial(serial).orElse(null)), true);
    } else {
      remember(owned(ca.find(requestId).orElse(null)), true);
    }
    return last.disposition();
  }

  private CaRecord owned(CaRecord r) throws CertSrvException {
    if (r == null) {
      throw new CertSrvException(HResult.CERTSRV_E_PROPERTY_EMPTY, "no such request");
    }
    if (!r.requester().equalsIgnoreCase(requester.name())) {
      throw new CertSrvException(HResult.E_ACCESSDENIED, "request " + r.requestId() + " belongs to another user");
    }
    return r;
  }

  private void remember(CaRecord record, boolean full) {
    last = record;
    fullResponseAvailable = full;
    fullResponse = null;
  }

  @Override
  public int getLastStatus() {
    return last == null ? HResult.S_OK : last.status();
  }

  @Override
  public int getRequestId() {
    return last == null ? 0 : last.requestId();
  }

  @Override
  public String getDispositionMessage() {
    return last == null ? "" : last.message();
  }

  @Override
  public String getCertificate(int flags) throws CertSrvException {
    if (last == null || last.certificate() == null) {
      throw new CertSrvException(HResult.CERTSRV_E_PROPERTY_EMPTY, "no certificate was issued");
    }
    if ((flags & OutputFlags.CR_OUT_CHAIN) == 0) {
      return Encodings.encode(last.certificate(), flags);
    }
    try {
      List<X509Certificate> certs = new ArrayList<>();
      certs.add(CaHierarchy.certificate(last.certificate()));
      certs.addAll(ca.keys().chain());
      byte[] crl = (flags & OutputFlags.CR_OUT_CRLS) != 0 ? ca.crl() : null;
      return Encodings.encode(CmcResponses.certsOnly(certs, crl), flags);
    } catch (GeneralSecurityException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot build the chain", e);
    }
  }

  @Override
  public String getCACertificate(int exchangeCertificate, String config, int flags) throws CertSrvException {
    checkConfig(config);
    return new CaProperties(ca).caCertificate(flags);
  }

  @Override
  public String getErrorMessageText(int hresult, int flags) {
    return HResult.errorMessageText(hresult, flags);
  }

  @Override
  public Object getCAProperty(String config, int propId, int propIndex, int propType, int flags)
      throws CertSrvException {
    checkConfig(config);
    return new CaProperties(ca).read(propId, propIndex, propType, flags);
  }

  @Override
  public int getCAPropertyFlags(String config, int propId) throws CertSrvException {
    checkConfig(config);
    return property(propId).flags();
  }

  @Override
  public String getCAPropertyDisplayName(String config, int propId) throws CertSrvException {
    checkConfig(config);
    return property(propId).displayName();
  }

  static CaProperty property(int propId) throws CertSrvException {
    try {
      return CaProperty.fromId(propId);
    } catch (IllegalArgumentException e) {
      throw new CertSrvException(HResult.E_INVALIDARG, "unknown CA property " + propId);
    }
  }

  @Override
  public Object getFullResponseProperty(int propId, int propIndex, int propType, int flags)
      throws CertSrvException {
    if (last == null || !fullResponseAvailable) {
      throw new CertSrvException(HResult.CERTSRV_E_PROPERTY_EMPTY, "no full response was requested");
    }
    if (fullResponse == null) {
      fullResponse = ca.fullResponse(last);
    }
    return FullResponseProperties.read(fullResponse, propId, propIndex, propType, flags);
  }

  private void checkConfig(String config) throws CertSrvException {
    if (config == null || !config.equalsIgnoreCase(ca.config())) {
      throw new CertSrvException(HResult.E_INVALIDARG, "unknown CA configuration '" + config + "'");
    }
  }
}
