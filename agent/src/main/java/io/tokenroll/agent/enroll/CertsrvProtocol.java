package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.http.ServerRefusedException;
import io.tokenroll.agent.http.ServerUnavailableException;
import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.agent.mimcm.Models.CertificateItem;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.ICertRequest2;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A CA reached directly with ICertRequest2 semantics (AD CS web enrollment): the keys are made first, the CSR is
 * submitted with the certificate template attribute, an issued certificate comes back with its chain (a certs-only
 * PKCS#7 the machine installs like any other answer), a pending one parks the enrollment under its CA request id
 * until RetrievePending says otherwise, and a denial removes the keys and ends with the CA's message and HRESULT.
 * The CA's request id is journaled as soon as Submit returns it: an answer lost after that (the certificate's
 * download failing, a kill) is looked up with RetrievePending instead of being given up.
 */
final class CertsrvProtocol implements Protocol {
  private static final int SUBMIT_FLAGS = RequestFlags.CR_IN_BASE64 | RequestFlags.CR_IN_PKCS10;

  private final StateWriter states;
  private final ICertRequest2 ca;
  private final TokenAccess token;

  CertsrvProtocol(StateWriter states, ICertRequest2 ca, TokenAccess token) {
    this.states = states;
    this.ca = ca;
    this.token = token;
  }

  @Override
  public Step step(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException {
    return switch (e.state) {
      case NEW -> plan(e);
      case NEED_SUBMIT -> submit(e);
      case PENDING_APPROVAL -> retrieve(e);
      case SUBMITTING, SUBMIT_UNCERTAIN -> e.caRequestId != null ? retrieve(e) : lost(e);
      case NEED_COMPLETE -> {
        states.persist(e, EnrollmentState.COMPLETED); // a CA has nothing to be told
        yield new Step(e, Step.Wake.DONE, null);
      }
      default -> throw new IllegalStateException("not a state of a direct CA enrollment: " + e.state);
    };
  }

  private Step plan(Enrollment e) throws IOException, TokenException, EnrollmentException {
    for (KeyPlan plan : e.keys) {
      KeyPlans.checkToken(plan, token.session());
    }
    states.persist(e, EnrollmentState.NEED_KEYS);
    return Step.now(e);
  }

  private Step submit(Enrollment e) throws IOException, ServerException, TokenException {
    String csr = e.csrs.get(0);
    states.persist(e, EnrollmentState.SUBMITTING);
    int disposition;
    try {
      disposition = ca.submit(SUBMIT_FLAGS, csr, "CertificateTemplate:" + e.template, e.server);
    } catch (CertSrvException ex) {
      if (ex.hresult() == HResult.ERROR_WINHTTP_CANNOT_CONNECT) {
        states.persist(e, EnrollmentState.NEED_SUBMIT); // never sent: it can go again
        throw new ServerUnavailableException(ex.getMessage(), false, ex);
      }
      if (isTransport(ex.hresult())) {
        throw new ServerUnavailableException(ex.getMessage(), true, ex); // maybe taken: SUBMIT_UNCERTAIN
      }
      throw refused("the CA refused the request: ", ex);
    }
    CrashPoints.effectDone(EnrollmentState.SUBMITTING);
    return outcome(e, disposition);
  }

  private Step retrieve(Enrollment e) throws IOException, ServerException, TokenException {
    try {
      return outcome(e, ca.retrievePending(e.caRequestId, e.server));
    } catch (CertSrvException ex) {
      if (isTransport(ex.hresult())) {
        throw new ServerUnavailableException(ex.getMessage(), false, ex); // a lookup: harmless to repeat
      }
      throw refused("CA request " + e.caRequestId + ": ", ex);
    }
  }

  /** What Submit or RetrievePending said, in the enrollment's terms. */
  private Step outcome(Enrollment e, int disposition) throws IOException, ServerException, TokenException {
    int requestId = cached(ca::getRequestId);
    if (requestId != 0 && !Integer.valueOf(requestId).equals(e.caRequestId)) {
      e.caRequestId = requestId;
      states.journal().store(e); // from here on a lost answer is looked up by its id, not given up
    }
    String message = cached(ca::getDispositionMessage);
    e.serverStatus = Disposition.fromCode(disposition).name() + " (" + message + ")";
    switch (Disposition.fromCode(disposition)) {
      case ISSUED -> {
        String chain;
        try {
          chain = ca.getCertificate(OutputFlags.CR_OUT_BINARY | OutputFlags.CR_OUT_CHAIN);
        } catch (CertSrvException ex) {
          throw isTransport(ex.hresult()) ? new ServerUnavailableException(ex.getMessage(), false, ex)
              : refused("the issued certificate cannot be fetched: ", ex);
        }
        byte[] p7 = chain.getBytes(StandardCharsets.ISO_8859_1);
        e.answer = AnswerCodec.write(List.of(new CertificateItem(e.template, 0, 0, false, null,
            Base64.getEncoder().encodeToString(p7), null, false, false, false, true, false)));
        states.persist(e, EnrollmentState.NEED_INSTALL);
        return Step.now(e);
      }
      case UNDER_SUBMISSION -> {
        states.persist(e, EnrollmentState.PENDING_APPROVAL);
        return Step.parked(e, Waiting.APPROVAL, "CA request " + e.caRequestId + " is taken under submission (a CA "
            + "manager must approve it); run 'tokenroll resume " + e.id + "' once it is issued", null);
      }
      case ISSUED_OUT_OF_BAND -> {
        e.lastError = "the CA issued the certificate out of band (it hands it over some other way), so it cannot "
            + "be installed beside its key on the token; the key is removed";
        removeKeys(e);
        states.persist(e, EnrollmentState.ABANDONED);
        return new Step(e, Step.Wake.DONE, e.lastError);
      }
      default -> {
        int hr = cached(ca::getLastStatus);
        e.lastError = "CA request " + (e.caRequestId == null ? "" : e.caRequestId + " ") + "was "
            + Disposition.fromCode(disposition).name().toLowerCase().replace('_', ' ') + ": "
            + message + " " + HResult.hexAndDecimal(hr)
            + (HResult.name(hr) == null ? "" : " " + HResult.name(hr));
        removeKeys(e);
        states.persist(e, disposition == Disposition.CR_DISP_DENIED ? EnrollmentState.DENIED
            : EnrollmentState.ABANDONED);
        return new Step(e, Step.Wake.DONE, e.lastError);
      }
    }
  }

  /** Web enrollment cannot look a request up by anything but its id, which a lost Submit answer never gave us. */
  private Step lost(Enrollment e) throws IOException {
    e.lastError = "the CA may have taken the request, but its answer (and so its request id) was lost; the "
        + "enrollment is abandoned and can be run again";
    states.persist(e, EnrollmentState.NEED_ABANDON);
    return Step.now(e);
  }

  private void removeKeys(Enrollment e) throws IOException, TokenException {
    TokenSession s = token.session();
    try (TokenLock lock = token.lock()) {
      for (KeyPlan plan : e.keys) {
        if (plan.stage != KeyPlan.Stage.REMOVED) {
          KeyWork.remove(s, plan);
        }
      }
    }
  }

  @FunctionalInterface
  private interface Getter<T> {
    T get() throws CertSrvException;
  }

  /** The Get* methods read what the last call cached; they fail only if no call was made, which is a bug here. */
  private static <T> T cached(Getter<T> getter) {
    try {
      return getter.get();
    } catch (CertSrvException e) {
      throw new IllegalStateException("ICertRequest2 state missing after a call: " + e.getMessage(), e);
    }
  }

  /** A CA's refusal; one about who we are (HTTP 401, TLS trust) keeps the enrollment for resume. */
  private static ServerRefusedException refused(String what, CertSrvException ex) {
    return ex.hresult() == HResult.HTTP_E_STATUS_DENIED || ex.hresult() == HResult.ERROR_WINHTTP_SECURE_FAILURE
        ? new io.tokenroll.agent.http.AccessDeniedException(0, what + ex.getMessage())
        : new ServerRefusedException(0, what + ex.getMessage());
  }

  private static boolean isTransport(int hresult) {
    return hresult == HResult.ERROR_WINHTTP_TIMEOUT || hresult == HResult.ERROR_WINHTTP_CONNECTION_ERROR
        || hresult == HResult.ERROR_WINHTTP_CANNOT_CONNECT || hresult == HResult.HTTP_E_STATUS_SERVER_ERROR
        || hresult == HResult.HTTP_E_STATUS_SERVICE_UNAVAIL;
  }

  @Override
  public void installed(Enrollment e, TokenSession session) {
    // nothing to swap: a direct CA enrollment replaces nothing
  }

  @Override
  public void abandon(Enrollment e) {
    // ICertRequest has no way to withdraw a request; its keys leave the token, the CA keeps its record
  }

  @Override
  public void authenticateAdministrator(Enrollment e, TokenSession session) throws EnrollmentException {
    throw new EnrollmentException(session.info().describe() + " needs its administrator (management) key for key "
        + "generation and certificate writes; a CA reached directly holds no such key — enroll this card through "
        + "MIM CM, whose server answers the card's challenge");
  }
}
