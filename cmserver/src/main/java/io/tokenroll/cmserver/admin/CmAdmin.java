package io.tokenroll.cmserver.admin;

import io.tokenroll.cmserver.ca.CertificateAuthority;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.cmserver.mimcm.CmStore;
import io.tokenroll.cmserver.mimcm.ProfileTemplate;
import io.tokenroll.cmserver.mimcm.RequestService;
import io.tokenroll.cmserver.mimcm.Stored;
import io.tokenroll.cmserver.store.CaRecord;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.mimcm.RequestType;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * What MIM leaves to its portal and the CA's console: approving and denying CM requests, issuing or denying
 * requests the CA holds for a CA manager, and revoking certificates. Embedded callers use it directly; the
 * {@code /cmserver-admin/} path and the {@code cmserver approve|deny|list|revoke} commands go through it.
 * Failures (unknown id, wrong state) are {@link IllegalStateException}s with a message for the operator.
 */
public final class CmAdmin {
  /** A CM request as the admin list shows it. */
  public record RequestSummary(UUID uuid, String originator, UUID profileTemplateUuid, String profileTemplate,
      String type, String status, String submitted, int approvals) {
  }

  /** A CA database row as the admin list shows it. */
  public record CaRequestSummary(int requestId, String requester, String template, String disposition,
      String message, String serialNumber) {
  }

  private final CmStore store;
  private final RequestService requests;
  private final CertificateAuthority ca;

  public CmAdmin(CmStore store, CertificateAuthority ca) {
    this.store = store;
    this.requests = new RequestService(store, ca);
    this.ca = ca;
  }

  /** Records one CM-manager approval; the request becomes Approved when the policy's count is reached. */
  public RequestSummary approveRequest(UUID id) {
    return run(() -> summary(requests.approve(id)));
  }

  /** Denies a Pending CM request for good. */
  public RequestSummary denyRequest(UUID id, String reason) {
    return run(() -> summary(requests.deny(id, reason)));
  }

  /** Every CM request of every user, oldest id first. */
  public List<RequestSummary> requests() {
    return run(() -> store.requestsOfAllUsers().stream().map(this::summary).toList());
  }

  /** CA requests waiting for a CA manager (disposition under submission). */
  public List<CaRequestSummary> pendingCaRequests() {
    return runCa(() -> ca.pending().stream().map(CmAdmin::summary).toList());
  }

  /** Issues a request the CA holds for approval. */
  public CaRequestSummary approveCaRequest(int caRequestId) {
    return runCa(() -> summary(ca.approve(caRequestId)));
  }

  /** Denies a request the CA holds for approval (CERTSRV_E_ADMIN_DENIED_REQUEST). */
  public CaRequestSummary denyCaRequest(int caRequestId, String reason) {
    return runCa(() -> summary(ca.deny(caRequestId, reason)));
  }

  /** Revokes an issued certificate (reason unspecified); the next CRL lists it. */
  public void revoke(BigInteger serial) {
    runCa(() -> {
      ca.revoke(serial, 0);
      return null;
    });
  }

  private RequestSummary summary(Stored.CmRequest r) {
    ProfileTemplate t = store.template(r.profileTemplateUuid());
    RequestType type = RequestType.parse(Integer.toString(r.requestType()));
    return new RequestSummary(r.uuid(), r.originator(), r.profileTemplateUuid(), t == null ? null : t.name(),
        type == null ? Integer.toString(r.requestType()) : type.wireName(), RequestService.status(r).wireName(),
        r.submitted(), r.approvals());
  }

  private static CaRequestSummary summary(CaRecord r) {
    return new CaRequestSummary(r.requestId(), r.requester(), r.template(),
        Disposition.fromCode(r.disposition()).name(), r.message(),
        r.serial() == null ? null : r.serial().toString(16));
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  private interface CaWork<T> {
    T run() throws CertSrvException;
  }

  private static <T> T run(Work<T> work) {
    try {
      return work.run();
    } catch (HttpError e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (SQLException e) {
      throw new IllegalStateException("database error: " + e.getMessage(), e);
    }
  }

  private static <T> T runCa(CaWork<T> work) {
    try {
      return work.run();
    } catch (CertSrvException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
