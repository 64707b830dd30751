package io.tokenroll.cmserver.store;

import java.math.BigInteger;
import java.time.Instant;

/**
 * One row of the CA database: a request, its disposition and HRESULT, and the certificate once issued.
 *
 * @param disposition a CR_DISP value (issued, under submission, denied, revoked …)
 * @param status the HRESULT GetLastStatus reports for it (S_OK, or why it was not issued)
 */
public record CaRecord(int requestId, String requester, String requesterUpn, String template, byte[] request,
    int disposition, int status, String message, BigInteger serial, byte[] certificate, Instant submitted,
    Instant resolved, Instant revoked, Integer revocationReason) {

  public CaRecord withOutcome(int newDisposition, int newStatus, String newMessage, BigInteger newSerial,
      byte[] newCertificate, Instant when) {
    return new CaRecord(requestId, requester, requesterUpn, template, request, newDisposition, newStatus, newMessage,
        newSerial, newCertificate, submitted, when, revoked, revocationReason);
  }
}
