package io.tokenroll.cmserver.ca;

import io.tokenroll.cmserver.store.CaDatabase;
import io.tokenroll.cmserver.store.CaRecord;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.HResult;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The CA engine behind ICertRequest2: applies a template's policy to a PKCS#10 request (issue, pend for CA-manager
 * approval, deny with an HRESULT), records every request with its disposition in the CA database, and lets a CA
 * manager approve, deny and revoke. Thread-safe; the per-caller ICertRequest2 state lives in {@link CaSession}.
 */
public final class CertificateAuthority {
  static final String ISSUED = "Issued";
  static final String PENDING = "Taken Under Submission";

  private final CaHierarchy keys;
  private final CaDatabase db;
  private final Map<String, CertTemplate> templates = new LinkedHashMap<>();
  private final CrlIssuer crls;

  public CertificateAuthority(CaHierarchy keys, CaDatabase db, Collection<CertTemplate> templates) {
    this.keys = keys;
    this.db = db;
    templates.forEach(t -> this.templates.put(t.commonName().toLowerCase(Locale.ROOT), t));
    this.crls = new CrlIssuer(keys, db);
  }

  /** A new ICertRequest2 object for one caller, as {@code CoCreateInstance(CCertRequest)} gives each client. */
  public CaSession session(Requester requester) {
    return new CaSession(this, requester);
  }

  /**
   * Submits a DER PKCS#10 under the template named by the {@code CertificateTemplate} attribute. Returns the
   * recorded request; a request that cannot be parsed at all is not recorded and throws ERROR_INVALID_DATA.
   */
  public CaRecord submit(byte[] der, Map<String, String> attributes, Requester requester) throws CertSrvException {
    JcaPKCS10CertificationRequest csr;
    try {
      csr = new JcaPKCS10CertificationRequest(der);
    } catch (IOException | RuntimeException e) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, "the request is not a PKCS#10 certificate request", e);
    }
    String templateName = attributes.get("certificatetemplate");
    CertTemplate template = templateName == null ? null : templates.get(templateName.toLowerCase(Locale.ROOT));
    Instant now = Instant.now();
    CaRecord pending = new CaRecord(0, requester.name(), requester.upn(), templateName, der,
        Disposition.CR_DISP_UNDER_SUBMISSION, HResult.S_OK, PENDING, null, null, now, null, null, null);
    int refusal = refusal(csr, templateName, template);
    try {
      if (refusal != HResult.S_OK) {
        return db.insert(denied(pending, refusal, "Denied by Policy Module", now));
      }
      if (template.issuance() == Issuance.DENY) {
        return db.insert(denied(pending, template.denyStatus(), "Denied by Policy Module", now));
      }
      if (template.issuance() == Issuance.PEND) {
        return db.insert(pending);
      }
      X509CertificateHolder cert = LeafCertificates.issue(keys, template, requester, csr.getPublicKey(), csr);
      return db.insert(issued(pending, cert, ISSUED, now));
    } catch (SQLException | GeneralSecurityException e) {
      throw new CertSrvException(HResult.E_FAIL, "the CA could not process the request", e);
    }
  }

  /** Why the policy refuses the request before any template decision, or S_OK. */
  private static int refusal(JcaPKCS10CertificationRequest csr, String templateName, CertTemplate template) {
    try {
      PublicKey key = csr.getPublicKey();
      if (!CsrSignatures.valid(csr, key)) {
        return HResult.NTE_BAD_SIGNATURE;
      }
      if (templateName == null) {
        return HResult.CERTSRV_E_NO_CERT_TYPE;
      }
      if (template == null) {
        return HResult.CERTSRV_E_UNSUPPORTED_CERT_TYPE;
      }
      if (!template.allows(Keys.algorithm(key))) {
        return HResult.CERTSRV_E_WEAK_SIGNATURE_OR_KEY;
      }
      if (Keys.size(key) < (key instanceof java.security.interfaces.ECPublicKey ? 256 : template.minimumKeySize())) {
        return HResult.CERTSRV_E_KEY_LENGTH;
      }
      return HResult.S_OK;
    } catch (GeneralSecurityException | OperatorCreationException | PKCSException | RuntimeException e) {
      return HResult.NTE_BAD_SIGNATURE;
    }
  }

  private static CaRecord denied(CaRecord r, int hresult, String by, Instant when) {
    String message = by + "  " + String.format("0x%08x", hresult) + ", " + HResult.errorMessageText(hresult, 0);
    return r.withOutcome(Disposition.CR_DISP_DENIED, hresult, message, null, null, when);
  }

  private static CaRecord issued(CaRecord r, X509CertificateHolder cert, String message, Instant when)
      throws GeneralSecurityException {
    try {
      return r.withOutcome(Disposition.CR_DISP_ISSUED, HResult.S_OK, message, cert.getSerialNumber(),
          cert.getEncoded(), when);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode the certificate", e);
    }
  }

  public Optional<CaRecord> find(int requestId) throws CertSrvException {
    try {
      return db.find(requestId);
    } catch (SQLException e) {
      throw new CertSrvException(HResult.E_FAIL, "CA database error", e);
    }
  }

  public Optional<CaRecord> findBySerial(BigInteger serial) throws CertSrvException {
    try {
      return db.findBySerial(serial);
    } catch (SQLException e) {
      throw new CertSrvException(HResult.E_FAIL, "CA database error", e);
    }
  }

  /** Requests waiting for a CA manager. */
  public List<CaRecord> pending() throws CertSrvException {
    try {
      return db.withDisposition(Disposition.CR_DISP_UNDER_SUBMISSION);
    } catch (SQLException e) {
      throw new CertSrvException(HResult.E_FAIL, "CA database error", e);
    }
  }

  /** A CA manager issues a pending request (certutil -resubmit). */
  public CaRecord approve(int requestId) throws CertSrvException {
    CaRecord r = pendingRecord(requestId);
    try {
      JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(r.request());
      CertTemplate template = templates.get(r.template().toLowerCase(Locale.ROOT));
      X509CertificateHolder cert = LeafCertificates.issue(keys, template, new Requester(r.requester(),
          r.requesterUpn()), csr.getPublicKey(), csr);
      return store(issued(r, cert, "Resubmitted by a CA manager", Instant.now()));
    } catch (IOException | GeneralSecurityException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot issue request " + requestId, e);
    }
  }

  /** A CA manager denies a pending request (certutil -deny). */
  public CaRecord deny(int requestId, String reason) throws CertSrvException {
    CaRecord r = pendingRecord(requestId);
    String by = "Denied by a CA manager" + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
    return store(denied(r, HResult.CERTSRV_E_ADMIN_DENIED_REQUEST, by, Instant.now()));
  }

  private CaRecord pendingRecord(int requestId) throws CertSrvException {
    CaRecord r = find(requestId).orElseThrow(() -> new CertSrvException(HResult.CERTSRV_E_PROPERTY_EMPTY,
        "no CA request " + requestId));
    if (r.disposition() != Disposition.CR_DISP_UNDER_SUBMISSION) {
      throw new CertSrvException(HResult.CERTSRV_E_BAD_REQUESTSTATUS, "CA request " + requestId + " is not pending");
    }
    return r;
  }

  private CaRecord store(CaRecord r) throws CertSrvException {
    try {
      if (!db.resolve(r, Disposition.CR_DISP_UNDER_SUBMISSION)) {
        throw new CertSrvException(HResult.CERTSRV_E_BAD_REQUESTSTATUS,
            "CA request " + r.requestId() + " was resolved meanwhile");
      }
      return r;
    } catch (SQLException e) {
      throw new CertSrvException(HResult.E_FAIL, "CA database error", e);
    }
  }

  /** Revokes an issued certificate with an RFC 5280 reason code and republishes the CRL. */
  public void revoke(BigInteger serial, int reason) throws CertSrvException {
    try {
      if (!db.revoke(serial, reason, Instant.now())) {
        throw new CertSrvException(HResult.CERTSRV_E_PROPERTY_EMPTY,
            "no issued certificate with serial " + serial.toString(16));
      }
      crls.invalidate();
    } catch (SQLException e) {
      throw new CertSrvException(HResult.E_FAIL, "CA database error", e);
    }
  }

  /** The current base CRL (DER), re-signed when a revocation happened or the last one is half way to expiry. */
  public byte[] crl() throws CertSrvException {
    try {
      return crls.current();
    } catch (SQLException | GeneralSecurityException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot build the CRL", e);
    }
  }

  public FullResponse fullResponse(CaRecord record) throws CertSrvException {
    try {
      return CmcResponses.build(keys, record);
    } catch (GeneralSecurityException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot build the CMC response", e);
    }
  }

  /** Issues the server's TLS certificate (not recorded in the CA database: it is remade at every start). */
  public X509Certificate tlsServerCertificate(PublicKey key, List<String> dnsNames, List<String> ipAddresses)
      throws GeneralSecurityException {
    return LeafCertificates.tlsServer(keys, key, dnsNames, ipAddresses);
  }

  public CaHierarchy keys() {
    return keys;
  }

  public Collection<CertTemplate> templates() {
    return templates.values();
  }

  public String config() {
    return keys.settings().config();
  }
}
