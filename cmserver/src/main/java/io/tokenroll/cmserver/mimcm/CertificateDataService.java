package io.tokenroll.cmserver.mimcm;

import io.tokenroll.cmserver.UserAccount;
import io.tokenroll.cmserver.ca.CaSession;
import io.tokenroll.cmserver.ca.CertificateAuthority;
import io.tokenroll.cmserver.ca.Requester;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.Encodings;
import io.tokenroll.protocol.certsrv.FullResponseProperty;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import io.tokenroll.protocol.certsrv.RequestFlags;
import io.tokenroll.protocol.mimcm.CertificateFlags;
import io.tokenroll.protocol.mimcm.RequestStatus;
import io.tokenroll.protocol.mimcm.RequestType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code certificaterequestgenerationoptions} and {@code certificatedata}: what CSRs the client must make, and
 * their submission to the CA through ICertRequest2 (Submit with CR_IN_FULLRESPONSE, then the CMC full response as
 * {@code Pkcs7}). Server-generated keys come back as PFX items, archived ones later as key-history items; an item
 * the CA does not issue carries {@code Error} while the others still succeed.
 */
public final class CertificateDataService {
  private static final int SUBMIT_FLAGS = RequestFlags.CR_IN_BINARY | RequestFlags.CR_IN_PKCS10
      | RequestFlags.CR_IN_FULLRESPONSE;

  private final CmStore store;
  private final CertificateAuthority ca;
  private final ServerKeys serverKeys;

  public CertificateDataService(CmStore store, CertificateAuthority ca) {
    this.store = store;
    this.ca = ca;
    this.serverKeys = new ServerKeys(ca);
  }

  /** The generation options of a request, or an empty list when its workflow issues no certificates. */
  public List<Wire.GenerationOptions> generationOptions(UserAccount user, UUID requestId) throws SQLException {
    Stored.CmRequest r = store.ownRequest(user, requestId);
    if (!issuesCertificates(r)) {
      return List.of();
    }
    return store.template(r.profileTemplateUuid()).clientKeyEntries().stream().map(e -> new Wire.GenerationOptions(
        e.subject(), e.keyAlgorithmName(), e.keySize(), e.friendlyName(), e.hashAlgorithmName(),
        e.keyStorageProviderNames(), e.exportable(), e.keyProtectionLevel(), e.keyUsages())).toList();
  }

  private static boolean issuesCertificates(Stored.CmRequest r) {
    RequestType t = RequestType.parse(Integer.toString(r.requestType()));
    return t == RequestType.ENROLL || t == RequestType.RENEW || t == RequestType.RECOVER
        || t == RequestType.DUPLICATE || t == RequestType.ONLINE_UPDATE || t == RequestType.TEMPORARY_CARDS;
  }

  /** Submits the CSRs of an Approved (or Executing) request and answers one item per certificate. */
  public List<Wire.CertificateItem> submit(UserAccount user, UUID requestId, List<String> csrs, String pfxPassword)
      throws SQLException {
    List<byte[]> ders = new ArrayList<>();
    // One read: status checked, CSRs checked and the request moved to Executing under the request's lock.
    Stored.CmRequest r = store.locked(requestId, () -> {
      Stored.CmRequest current = checkedApproved(user, requestId);
      List<CertificateEntry> entries = store.template(current.profileTemplateUuid()).clientKeyEntries();
      if (csrs.size() != entries.size()) {
        throw HttpError.badRequest("The request is invalid. The profile template needs " + entries.size()
            + " certificate request(s), " + csrs.size() + " were sent.");
      }
      for (int i = 0; i < csrs.size(); i++) {
        ders.add(CsrCheck.verified(csrs.get(i), entries.get(i), i));
      }
      store.save(current.withStatus(RequestStatus.EXECUTING.code()));
      return current;
    });
    ProfileTemplate template = store.template(r.profileTemplateUuid());
    List<CertificateEntry> entries = template.clientKeyEntries();
    Requester requester = new Requester(user.name(), user.upn());
    List<Wire.CertificateItem> items = new ArrayList<>();
    for (int i = 0; i < ders.size(); i++) {
      items.add(clientKeyItem(r, requester, entries.get(i), ders.get(i)));
    }
    for (CertificateEntry e : template.certificates()) {
      if (e.serverGenerated()) {
        items.addAll(keyHistory(user, r, e, pfxPassword));
        items.add(serverKeyItem(r, requester, e, pfxPassword));
      }
    }
    return items;
  }

  private Stored.CmRequest checkedApproved(UserAccount user, UUID requestId) throws SQLException {
    Stored.CmRequest current = store.ownRequest(user, requestId);
    RequestStatus status = RequestService.status(current);
    if (status != RequestStatus.APPROVED && status != RequestStatus.EXECUTING) {
      throw HttpError.forbidden("The request " + requestId + " is " + status.wireName()
          + "; certificates can only be requested for an Approved request.");
    }
    if (!issuesCertificates(current)) {
      throw HttpError.forbidden("The request " + requestId + " is not for a workflow that issues certificates.");
    }
    return current;
  }

  private Wire.CertificateItem clientKeyItem(Stored.CmRequest r, Requester requester, CertificateEntry e,
      byte[] der) throws SQLException {
    CaSession session = ca.session(requester);
    try {
      int disposition = session.submit(SUBMIT_FLAGS, new String(der, StandardCharsets.ISO_8859_1),
          "CertificateTemplate:" + e.caTemplate(), ca.config());
      if (disposition != Disposition.CR_DISP_ISSUED) {
        return failed(e, notIssued(session, disposition));
      }
      String fullResponse = (String) session.getFullResponseProperty(FullResponseProperty.FULLRESPONSE.id(), 0,
          PropType.PROPTYPE_BINARY, OutputFlags.CR_OUT_BINARY);
      String leaf = session.getCertificate(OutputFlags.CR_OUT_BINARY);
      record(r, e, leaf, null);
      return new Wire.CertificateItem(e.caTemplate(), 0, CertificateFlags.PKCS7, e.useLocalMachineStore(), null,
          Encodings.base64Lines(fullResponse.getBytes(StandardCharsets.ISO_8859_1)), null, false, false, false,
          true, false);
    } catch (CertSrvException ex) {
      return failed(e, ex.getMessage());
    }
  }

  private static String notIssued(CaSession session, int disposition) {
    String message = session.getDispositionMessage();
    return disposition == Disposition.CR_DISP_UNDER_SUBMISSION
        ? "The certificate request is pending CA manager approval (CA request id " + session.getRequestId() + "): "
            + message
        : message;
  }

  private Wire.CertificateItem serverKeyItem(Stored.CmRequest r, Requester requester, CertificateEntry e,
      String pfxPassword) throws SQLException {
    try {
      ServerKeys.Issued issued = serverKeys.issue(requester, e);
      if (issued.error() != null) {
        return failed(e, issued.error());
      }
      String leaf = new String(issued.certificate().getEncoded(), StandardCharsets.ISO_8859_1);
      record(r, e, leaf, e.archiveKey() ? Base64.getEncoder().encodeToString(issued.key().getEncoded()) : null);
      byte[] pfx = ServerKeys.pkcs12(issued.key(), issued.certificate(), ca.keys().chain(), pfxPassword);
      return pfxItem(e, pfx, false);
    } catch (GeneralSecurityException | CertSrvException ex) {
      return failed(e, "The server could not generate the key: " + ex.getMessage());
    }
  }

  /** Keys archived for this user and CA template by earlier requests, as key-history PFX items. */
  private List<Wire.CertificateItem> keyHistory(UserAccount user, Stored.CmRequest r, CertificateEntry e,
      String pfxPassword) throws SQLException {
    List<Wire.CertificateItem> out = new ArrayList<>();
    for (Stored.CmCertificate c : store.certificates.byOwner(user.name().toLowerCase(Locale.ROOT))) {
      if (c.archivedKey() != null && c.templateCommonName().equalsIgnoreCase(e.caTemplate())
          && !c.requestUuid().equals(r.uuid())) {
        try {
          byte[] pfx = ServerKeys.pkcs12(c.archivedKey(), c.certificate(), ca.keys().chain(), pfxPassword);
          out.add(pfxItem(e, pfx, true));
        } catch (GeneralSecurityException ex) {
          out.add(failed(e, "The archived key " + c.serial() + " cannot be recovered."));
        }
      }
    }
    return out;
  }

  private Wire.CertificateItem pfxItem(CertificateEntry e, byte[] pfx, boolean keyHistory) {
    return new Wire.CertificateItem(e.caTemplate(), 0, CertificateFlags.PFX, e.useLocalMachineStore(), null, null,
        Encodings.base64Lines(pfx), false, true, true, false, keyHistory);
  }

  private static Wire.CertificateItem failed(CertificateEntry e, String error) {
    return new Wire.CertificateItem(e.caTemplate(), 0, 0, e.useLocalMachineStore(), error, null, null, false,
        e.serverGenerated(), false, false, false);
  }

  private void record(Stored.CmRequest r, CertificateEntry e, String leafBinary, String archivedKey)
      throws SQLException {
    byte[] der = leafBinary.getBytes(StandardCharsets.ISO_8859_1);
    String serial;
    try {
      serial = org.bouncycastle.asn1.x509.Certificate.getInstance(der).getSerialNumber().getValue().toString(16);
    } catch (RuntimeException ex) {
      throw new SQLException("issued certificate does not parse", ex);
    }
    store.save(new Stored.CmCertificate(serial, r.originator(), r.uuid(), r.profileTemplateUuid(), e.caTemplate(),
        Base64.getEncoder().encodeToString(der), archivedKey, false));
  }
}
