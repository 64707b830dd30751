package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.ProtocolException;
import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.http.ServerRefusedException;
import io.tokenroll.agent.http.ServerUnavailableException;
import io.tokenroll.agent.mimcm.MimCmClient;
import io.tokenroll.agent.mimcm.Models;
import io.tokenroll.agent.mimcm.Models.CertificateItem;
import io.tokenroll.agent.mimcm.Models.CmRequest;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.protocol.mimcm.CmPaths;
import io.tokenroll.protocol.mimcm.RequestStatus;
import io.tokenroll.protocol.mimcm.RequestType;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The MIM CM REST flow (the Modern App's 18 steps): template and policy, request, approval, card binding,
 * generation options, certificatedata, Completed; and the card workflows Renew, Unblock and Retire.
 */
final class MimCmProtocol implements Protocol {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final StateWriter states;
  private final MimCmClient cm;
  private final TokenAccess token;
  private final CardWorkflows cards;
  private final ServerPins pins;

  MimCmProtocol(StateWriter states, MimCmClient cm, TokenAccess token) {
    this.states = states;
    this.cm = cm;
    this.token = token;
    this.cards = new CardWorkflows(states.journal(), cm, token);
    this.pins = new ServerPins(states, cm, token);
  }

  @Override
  public Step step(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException {
    return switch (e.state) {
      case NEW -> createRequest(e);
      case CREATING_REQUEST, REQUEST_UNCERTAIN -> findRequest(e);
      case REQUESTED, PENDING_APPROVAL -> readStatus(e);
      case APPROVED -> bindCard(e);
      case BINDING_CARD, CARD_UNCERTAIN -> findCard(e);
      case CARD_BOUND -> afterCard(e);
      case NEED_PIN_CHANGE -> pins.change(e);
      case CHANGING_PIN, PIN_UNCERTAIN -> pins.settle(e);
      case NEED_SUBMIT -> submit(e);
      case SUBMITTING, SUBMIT_UNCERTAIN -> checkSubmission(e);
      case NEED_COMPLETE -> complete(e);
      default -> throw new IllegalStateException("not a server-side state: " + e.state);
    };
  }

  private Step createRequest(Enrollment e) throws IOException, ServerException, EnrollmentException {
    if (e.templateUuid == null) {
      resolveTemplate(cm, e);
    }
    RequestType type = e.workflow.requestType();
    String comment = (e.comment == null || e.comment.isBlank() ? "" : e.comment + " ") + "[" + e.nonce() + "]";
    states.persist(e, EnrollmentState.CREATING_REQUEST);
    UUID id = cm.createRequest(new Models.CreateRequest(e.templateUuid, e.dataCollection, type.wireName(),
        comment, type == RequestType.ENROLL ? null : e.smartcardUuid));
    CrashPoints.effectDone(EnrollmentState.CREATING_REQUEST);
    e.requestId = id;
    states.persist(e, EnrollmentState.REQUESTED);
    return Step.now(e);
  }

  /**
   * The template by name (or UUID) on the server: its UUID and name, whether it is a card template, the workflow
   * enabled, and the card's user PIN option — recorded on {@code e}.
   */
  static void resolveTemplate(MimCmClient cm, Enrollment e) throws ServerException, EnrollmentException {
    var templates = cm.profileTemplates();
    var t = templates.stream().filter(x -> x.name() != null && x.name().equalsIgnoreCase(e.template)
        || x.uuid() != null && x.uuid().toString().equalsIgnoreCase(e.template)).findFirst()
        .orElseThrow(() -> new EnrollmentException("the server offers no profile template '" + e.template
            + "'; it offers: " + templates.stream().map(Models.ProfileTemplate::name).toList()));
    e.templateUuid = t.uuid();
    e.template = t.name();
    e.smartcardTemplate = t.isSmartcardProfileTemplate() || t.isVirtualSmartcardProfileTemplate();
    var policy = cm.policy(t.uuid(), e.workflow.toString());
    if (policy.isPresent() && Boolean.FALSE.equals(policy.get().enabled())) {
      throw new EnrollmentException("the " + e.workflow + " workflow of template '" + t.name()
          + "' is disabled on the server");
    }
    if (e.smartcardTemplate) {
      var card = cm.smartcardConfiguration(t.uuid());
      e.userPinOption = card.map(Models.SmartcardConfiguration::userPinOption).orElse(null);
      e.diversifyAdminKey = card.map(c -> Boolean.TRUE.equals(c.diversifyAdminKey())).orElse(false);
      ServerPins.checkOutput(e);
    }
  }

  /** After a crash during POST requests: our request, if it was created, carries our id in its comment. */
  private Step findRequest(Enrollment e) throws IOException, ServerException {
    for (CmRequest r : cm.requests(null)) {
      if (r.comment() != null && r.comment().contains(e.nonce())) {
        e.requestId = r.uuid();
        states.note("enrollment " + e.id + ": found request " + r.uuid() + " created before the interruption");
        states.persist(e, EnrollmentState.REQUESTED);
        return Step.now(e);
      }
    }
    states.persist(e, EnrollmentState.NEW);
    return Step.now(e);
  }

  private Step readStatus(Enrollment e) throws IOException, ServerException {
    CmRequest r = cm.request(e.requestId);
    e.serverStatus = r.status() == null ? null : r.status().wireName();
    if (isCard(r.newSmartcardUuid())) {
      e.smartcardUuid = r.newSmartcardUuid();
    }
    RequestStatus s = r.status() == null ? RequestStatus.NONE : r.status();
    switch (s) {
      case APPROVED -> states.persist(e, EnrollmentState.APPROVED);
      case PENDING -> {
        states.persist(e, EnrollmentState.PENDING_APPROVAL);
        return Step.parked(e, Waiting.APPROVAL, "request " + e.requestId + " waits for approval on the server; "
            + "run 'tokenroll resume " + e.id + "' once it is approved", null);
      }
      case DENIED -> {
        e.lastError = "request " + e.requestId + " was denied by the server";
        states.persist(e, EnrollmentState.DENIED);
        return new Step(e, Step.Wake.DONE, e.lastError + "; ask the approver why, then enroll again");
      }
      case CANCELED, ABANDONED, FAILED, COMPLETED -> {
        e.lastError = "request " + e.requestId + " is " + s.wireName() + " on the server";
        states.persist(e, EnrollmentState.CANCELED);
        return new Step(e, Step.Wake.DONE, e.lastError);
      }
      default -> {
        e.lastError = "request " + e.requestId + " has status " + s.wireName() + ", which tokenroll cannot act on";
        states.persist(e, EnrollmentState.NEED_ABANDON);
      }
    }
    return Step.now(e);
  }

  private static boolean isCard(UUID id) {
    return id != null && !id.toString().equals(CmPaths.EMPTY_GUID);
  }

  private Step bindCard(Enrollment e) throws IOException, ServerException {
    boolean needsCard = e.workflow == Workflow.ENROLL && e.smartcardTemplate;
    if (needsCard && e.smartcardUuid == null) {
      states.persist(e, EnrollmentState.BINDING_CARD);
      e.smartcardUuid = cm.bindSmartcard(e.requestId, e.cardId, e.atr);
      CrashPoints.effectDone(EnrollmentState.BINDING_CARD);
    }
    states.persist(e, EnrollmentState.CARD_BOUND);
    return Step.now(e);
  }

  private Step findCard(Enrollment e) throws IOException, ServerException {
    CmRequest r = cm.request(e.requestId);
    if (isCard(r.newSmartcardUuid())) {
      e.smartcardUuid = r.newSmartcardUuid();
      states.persist(e, EnrollmentState.CARD_BOUND);
    } else {
      states.persist(e, EnrollmentState.APPROVED);
    }
    return Step.now(e);
  }

  /** The card is bound: plan the keys the server asks for, or run a workflow that needs none. */
  private Step afterCard(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException {
    if (e.workflow == Workflow.UNBLOCK || e.workflow == Workflow.RETIRE) {
      if (e.workflow == Workflow.UNBLOCK) {
        cards.unblock(e);
      } else {
        TokenSession s = token.session();
        if (s.capabilities().administratorKey()) { // clearing a PIV card's slots is the administrator's
          authenticateAdministrator(e, s);
        }
        cards.retire(e);
      }
      states.persist(e, EnrollmentState.NEED_COMPLETE);
      return Step.now(e);
    }
    if (ServerPins.pending(e)) {
      states.persist(e, EnrollmentState.NEED_PIN_CHANGE);
      return Step.now(e);
    }
    var options = cm.generationOptions(e.requestId);
    e.keys.clear();
    try {
      for (int i = 0; i < options.size(); i++) {
        String note = KspMap.check(options.get(i), i, e.kspMap, token.session().info());
        if (note != null) {
          states.note(note);
        }
        KeyPlan plan = KeyPlans.from(options.get(i), i, e.template);
        KeyPlans.checkToken(plan, token.session());
        e.keys.add(plan);
      }
    } catch (EnrollmentException ex) {
      e.lastError = ex.getMessage();
      states.persist(e, EnrollmentState.NEED_ABANDON);
      return Step.now(e);
    }
    states.persist(e, EnrollmentState.NEED_KEYS);
    return Step.now(e);
  }

  private Step submit(Enrollment e) throws IOException, ServerException {
    byte[] pw = new byte[18];
    RANDOM.nextBytes(pw);
    String pfxPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(pw);
    states.persist(e, EnrollmentState.SUBMITTING);
    List<CertificateItem> items;
    try {
      items = cm.certificateData(e.requestId, pfxPassword, e.csrs, "tokenroll " + e.id);
    } catch (ServerUnavailableException ex) {
      // Not sent at all: the CSRs can go again. Maybe sent: ask the server first (SUBMIT_UNCERTAIN).
      states.persist(e, ex.maybeProcessed() ? EnrollmentState.SUBMIT_UNCERTAIN : EnrollmentState.NEED_SUBMIT);
      throw ex;
    }
    CrashPoints.effectDone(EnrollmentState.SUBMITTING);
    e.answer = AnswerCodec.write(items);
    e.pfxPassword = items.stream().anyMatch(CertificateItem::pfxItem) ? pfxPassword : null;
    states.persist(e, EnrollmentState.NEED_INSTALL);
    return Step.now(e);
  }

  /** The CSRs may or may not have reached the server: send them again only if it says it never took them. */
  private Step checkSubmission(Enrollment e) throws IOException, ServerException {
    CmRequest r = cm.request(e.requestId);
    e.serverStatus = r.status() == null ? null : r.status().wireName();
    if (r.status() == RequestStatus.APPROVED) {
      states.persist(e, EnrollmentState.NEED_SUBMIT);
    } else {
      e.lastError = "the server took the certificate requests (request " + e.requestId + " is "
          + e.serverStatus + ") but its answer was lost; the enrollment is abandoned and can be run again";
      states.persist(e, EnrollmentState.NEED_ABANDON);
    }
    return Step.now(e);
  }

  private Step complete(Enrollment e) throws IOException, ServerException {
    CmRequest r;
    try {
      r = cm.updateStatus(e.requestId, "Completed");
    } catch (ServerException refused) {
      // killed after the server completed it and before the journal said so: the request is done, not failed
      CmRequest now = cm.request(e.requestId);
      if (now.status() != RequestStatus.COMPLETED) {
        throw refused;
      }
      r = now;
    }
    CrashPoints.effectDone(EnrollmentState.NEED_COMPLETE);
    e.serverStatus = r == null || r.status() == null ? "Completed" : r.status().wireName();
    states.persist(e, EnrollmentState.COMPLETED);
    return new Step(e, Step.Wake.DONE, null);
  }

  @Override
  public void installed(Enrollment e, TokenSession session) throws IOException, TokenException, EnrollmentException {
    if (e.workflow == Workflow.RENEW) {
      cards.retirePrevious(e, session);
    }
  }

  @Override
  public void abandon(Enrollment e) throws IOException, ServerException {
    if (e.requestId == null) {
      return;
    }
    try {
      CmRequest r = cm.request(e.requestId);
      e.serverStatus = r.status() == null ? null : r.status().wireName();
      if (r.status() != null && !r.status().isFinal()) {
        // a request still waiting for its approval is Canceled (MIM refuses Pending → Abandoned), so that a manager
        // approving it later approves nothing (hostile probe: the request stayed and was approved)
        String end = r.status() == RequestStatus.PENDING ? "Canceled" : "Abandoned";
        CmRequest after = cm.updateStatus(e.requestId, end);
        e.serverStatus = after == null || after.status() == null ? end : after.status().wireName();
      }
    } catch (ServerRefusedException | ProtocolException ex) {
      states.note("could not end request " + e.requestId + " on the server: " + ex.getMessage());
    }
  }

  @Override
  public void authenticateAdministrator(Enrollment e, TokenSession session) throws IOException, ServerException,
      TokenException, EnrollmentException {
    new CardAdministrator(cm, states).authenticate(e, session);
  }
}
