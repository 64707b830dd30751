package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.http.ServerRefusedException;
import io.tokenroll.agent.http.ServerUnavailableException;
import io.tokenroll.agent.journal.Journal;
import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.agent.mimcm.MimCmClient;
import io.tokenroll.agent.mimcm.Models;
import io.tokenroll.agent.mimcm.Models.CertificateItem;
import io.tokenroll.agent.mimcm.Models.CmRequest;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.protocol.mimcm.CmPaths;
import io.tokenroll.protocol.mimcm.RequestStatus;
import io.tokenroll.protocol.mimcm.RequestType;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The enrollment state machine: {@link #step} performs exactly one step of the MIM CM flow and returns the next
 * state with when to step again. Before every side effect the intent is journaled ({@code X_ING}); its result is
 * journaled after. It never sleeps and never waits for a person: a pending approval parks the enrollment.
 */
public final class EnrollmentMachine {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final System.Logger LOG = System.getLogger("io.tokenroll.agent.enroll");

  private final Journal journal;
  private final MimCmClient cm;
  private final TokenAccess token;
  private final IssuerTrust trust;
  private final boolean writeAuthorities;
  private final Consumer<String> progress;
  private final CardWorkflows cards;

  public EnrollmentMachine(Journal journal, MimCmClient cm, TokenAccess token, IssuerTrust trust,
                           boolean writeAuthorities, Consumer<String> progress) {
    this.journal = journal;
    this.cm = cm;
    this.token = token;
    this.trust = trust;
    this.writeAuthorities = writeAuthorities;
    this.progress = progress;
    this.cards = new CardWorkflows(journal, cm, token);
  }

  /** Journals a state before its side effect. */
  private void persist(Enrollment e, EnrollmentState state) throws IOException {
    if (e.state != state) {
      EnrollmentState from = e.state;
      LOG.log(System.Logger.Level.DEBUG, () -> "enrollment " + e.id + " moved " + from + " -> " + state);
    }
    e.state = state;
    journal.store(e);
    CrashPoints.journaled(state);
  }

  public Step step(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException {
    return switch (e.state) {
      case NEW -> createRequest(e);
      case CREATING_REQUEST, REQUEST_UNCERTAIN -> findRequest(e);
      case REQUESTED, PENDING_APPROVAL -> readStatus(e);
      case APPROVED -> bindCard(e);
      case BINDING_CARD, CARD_UNCERTAIN -> findCard(e);
      case CARD_BOUND -> afterCard(e);
      case NEED_KEYS, GENERATING_KEY -> keys(e);
      case NEED_SUBMIT -> submit(e);
      case SUBMITTING, SUBMIT_UNCERTAIN -> checkSubmission(e);
      case NEED_INSTALL, INSTALLING -> install(e);
      case NEED_COMPLETE -> complete(e);
      case NEED_ABANDON -> abandon(e);
      case COMPLETED, ABANDONED, DENIED, CANCELED -> new Step(e, Step.Wake.DONE, null);
    };
  }

  private Step createRequest(Enrollment e) throws IOException, ServerException, EnrollmentException {
    if (e.templateUuid == null) {
      resolveTemplate(e);
    }
    RequestType type = RequestType.parse(e.workflow);
    String comment = (e.comment == null || e.comment.isBlank() ? "" : e.comment + " ") + "[" + e.nonce() + "]";
    persist(e, EnrollmentState.CREATING_REQUEST);
    UUID id = cm.createRequest(new Models.CreateRequest(e.templateUuid, e.dataCollection, type.wireName(),
        comment, type == RequestType.ENROLL ? null : e.smartcardUuid));
    CrashPoints.effectDone(EnrollmentState.CREATING_REQUEST);
    e.requestId = id;
    persist(e, EnrollmentState.REQUESTED);
    return Step.now(e);
  }

  private void resolveTemplate(Enrollment e) throws ServerException, EnrollmentException {
    var templates = cm.profileTemplates();
    var t = templates.stream().filter(x -> x.name() != null && x.name().equalsIgnoreCase(e.template)
        || x.uuid() != null && x.uuid().toString().equalsIgnoreCase(e.template)).findFirst()
        .orElseThrow(() -> new EnrollmentException("the server offers no profile template '" + e.template
            + "'; it offers: " + templates.stream().map(Models.ProfileTemplate::name).toList()));
    e.templateUuid = t.uuid();
    e.template = t.name();
    e.smartcardTemplate = t.isSmartcardProfileTemplate() || t.isVirtualSmartcardProfileTemplate();
    var policy = cm.policy(t.uuid(), e.workflow);
    if (policy.isPresent() && Boolean.FALSE.equals(policy.get().enabled())) {
      throw new EnrollmentException("the " + e.workflow + " workflow of template '" + t.name()
          + "' is disabled on the server");
    }
  }

  /** After a crash during POST requests: our request, if it was created, carries our id in its comment. */
  private Step findRequest(Enrollment e) throws IOException, ServerException {
    for (CmRequest r : cm.requests(null)) {
      if (r.comment() != null && r.comment().contains(e.nonce())) {
        e.requestId = r.uuid();
        progress.accept("enrollment " + e.id + ": found request " + r.uuid() + " created before the interruption");
        persist(e, EnrollmentState.REQUESTED);
        return Step.now(e);
      }
    }
    persist(e, EnrollmentState.NEW);
    return Step.now(e);
  }

  private Step readStatus(Enrollment e) throws IOException, ServerException {
    CmRequest r = cm.request(e.requestId);
    e.serverStatus = r.status() == null ? null : r.status().wireName();
    if (r.newSmartcardUuid() != null && !r.newSmartcardUuid().toString().equals(CmPaths.EMPTY_GUID)) {
      e.smartcardUuid = r.newSmartcardUuid();
    }
    RequestStatus s = r.status() == null ? RequestStatus.NONE : r.status();
    switch (s) {
      case APPROVED -> persist(e, EnrollmentState.APPROVED);
      case PENDING -> {
        persist(e, EnrollmentState.PENDING_APPROVAL);
        return new Step(e, Step.Wake.PARKED, "request " + e.requestId + " waits for approval on the server; "
            + "run 'tokenroll resume " + e.id + "' once it is approved");
      }
      case DENIED -> {
        e.lastError = "request " + e.requestId + " was denied by the server";
        persist(e, EnrollmentState.DENIED);
        return new Step(e, Step.Wake.DONE, e.lastError + "; ask the approver why, then enroll again");
      }
      case CANCELED, ABANDONED, FAILED, COMPLETED -> {
        e.lastError = "request " + e.requestId + " is " + s.wireName() + " on the server";
        persist(e, EnrollmentState.CANCELED);
        return new Step(e, Step.Wake.DONE, e.lastError);
      }
      default -> {
        e.lastError = "request " + e.requestId + " has status " + s.wireName() + ", which tokenroll cannot act on";
        persist(e, EnrollmentState.NEED_ABANDON);
      }
    }
    return Step.now(e);
  }

  private Step bindCard(Enrollment e) throws IOException, ServerException {
    boolean needsCard = RequestType.parse(e.workflow) == RequestType.ENROLL && e.smartcardTemplate;
    if (needsCard && e.smartcardUuid == null) {
      persist(e, EnrollmentState.BINDING_CARD);
      e.smartcardUuid = cm.bindSmartcard(e.requestId, e.cardId, null);
      CrashPoints.effectDone(EnrollmentState.BINDING_CARD);
    }
    persist(e, EnrollmentState.CARD_BOUND);
    return Step.now(e);
  }

  private Step findCard(Enrollment e) throws IOException, ServerException {
    CmRequest r = cm.request(e.requestId);
    if (r.newSmartcardUuid() != null && !r.newSmartcardUuid().toString().equals(CmPaths.EMPTY_GUID)) {
      e.smartcardUuid = r.newSmartcardUuid();
      persist(e, EnrollmentState.CARD_BOUND);
    } else {
      persist(e, EnrollmentState.APPROVED);
    }
    return Step.now(e);
  }

  private Step afterCard(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException {
    RequestType type = RequestType.parse(e.workflow);
    if (type == RequestType.UNBLOCK) {
      cards.unblock(e);
      persist(e, EnrollmentState.NEED_COMPLETE);
      return Step.now(e);
    }
    if (type == RequestType.RETIRE) {
      cards.retire(e);
      persist(e, EnrollmentState.NEED_COMPLETE);
      return Step.now(e);
    }
    var options = cm.generationOptions(e.requestId);
    e.keys.clear();
    try {
      for (int i = 0; i < options.size(); i++) {
        KeyPlan plan = KeyPlans.from(options.get(i), i, e.template);
        if (!token.session().capabilities().canGenerate(KeySpec.parse(plan.keySpec))) {
          throw new EnrollmentException("the server asks for a " + plan.keySpec + " key, which "
              + token.session().info().describe() + " cannot generate; it offers "
              + token.session().capabilities().keySpecs());
        }
        e.keys.add(plan);
      }
    } catch (EnrollmentException ex) {
      e.lastError = ex.getMessage();
      persist(e, EnrollmentState.NEED_ABANDON);
      return Step.now(e);
    }
    persist(e, EnrollmentState.NEED_KEYS);
    return Step.now(e);
  }

  private Step keys(Enrollment e) throws IOException, TokenException {
    TokenSession s = token.session();
    for (KeyPlan plan : e.keys) {
      if (plan.stage == KeyPlan.Stage.READY || plan.stage == KeyPlan.Stage.REMOVED) {
        continue;
      }
      try (TokenLock lock = token.lock()) {
        if (plan.stage == KeyPlan.Stage.PLANNED) {
          int left = KeyWork.removeLeftovers(s, plan);
          if (left > 0) {
            progress.accept("removed " + left + " object(s) an interrupted run left under id " + plan.provisionalId);
          }
          persist(e, EnrollmentState.GENERATING_KEY);
          KeyWork.generate(s, plan);
          CrashPoints.effectDone(EnrollmentState.GENERATING_KEY);
          persist(e, EnrollmentState.NEED_KEYS);
        }
        KeyWork.finalizeId(s, plan);
        persist(e, EnrollmentState.NEED_KEYS);
      }
    }
    List<String> csrs = new ArrayList<>();
    for (KeyPlan plan : e.keys) {
      csrs.add(Base64.getEncoder().encodeToString(KeyWork.csr(s, plan, progress)));
    }
    e.csrs = csrs;
    persist(e, EnrollmentState.NEED_SUBMIT);
    return Step.now(e);
  }

  private Step submit(Enrollment e) throws IOException, ServerException {
    byte[] pw = new byte[18];
    RANDOM.nextBytes(pw);
    String pfxPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(pw);
    persist(e, EnrollmentState.SUBMITTING);
    List<CertificateItem> items;
    try {
      items = cm.certificateData(e.requestId, pfxPassword, e.csrs, "tokenroll " + e.id);
    } catch (ServerUnavailableException ex) {
      // Not sent at all: the CSRs can go again. Maybe sent: ask the server first (SUBMIT_UNCERTAIN).
      persist(e, ex.maybeProcessed() ? EnrollmentState.SUBMIT_UNCERTAIN : EnrollmentState.NEED_SUBMIT);
      throw ex;
    }
    CrashPoints.effectDone(EnrollmentState.SUBMITTING);
    e.answer = AnswerCodec.write(items);
    e.pfxPassword = items.stream().anyMatch(CertificateItem::pfxItem) ? pfxPassword : null;
    persist(e, EnrollmentState.NEED_INSTALL);
    return Step.now(e);
  }

  /** The CSRs may or may not have reached the server: send them again only if it says it never took them. */
  private Step checkSubmission(Enrollment e) throws IOException, ServerException {
    CmRequest r = cm.request(e.requestId);
    e.serverStatus = r.status() == null ? null : r.status().wireName();
    if (r.status() == RequestStatus.APPROVED) {
      persist(e, EnrollmentState.NEED_SUBMIT);
    } else {
      e.lastError = "the server took the certificate requests (request " + e.requestId + " is "
          + e.serverStatus + ") but its answer was lost; the enrollment is abandoned and can be run again";
      persist(e, EnrollmentState.NEED_ABANDON);
    }
    return Step.now(e);
  }

  private Step install(Enrollment e) throws IOException, TokenException, EnrollmentException {
    TokenSession s = token.session();
    List<CertificateItem> items = AnswerCodec.read(e.answer);
    try (TokenLock lock = token.lock()) {
      persist(e, EnrollmentState.INSTALLING);
      e.outcomes = new AnswerInstaller(s, trust, writeAuthorities).install(e, items);
      for (KeyPlan plan : e.keys) {
        if (!plan.certified && plan.stage != KeyPlan.Stage.REMOVED) {
          KeyWork.remove(s, plan); // its certificate did not come or was refused: leave no orphan key
        }
      }
      if (RequestType.parse(e.workflow) == RequestType.RENEW && installedAny(e)) {
        cards.retirePrevious(e, s);
      }
      CrashPoints.effectDone(EnrollmentState.INSTALLING);
    }
    e.answer = null;
    e.pfxPassword = null;
    for (ItemOutcome o : e.outcomes) {
      progress.accept("item " + (o.item + 1) + ": " + o.result + " — " + o.detail);
    }
    if (!installedAny(e)) {
      e.lastError = "nothing in the server's answer could be installed: " + e.outcomes.stream()
          .map(o -> o.detail).toList();
      persist(e, EnrollmentState.NEED_ABANDON);
    } else {
      persist(e, EnrollmentState.NEED_COMPLETE);
    }
    return Step.now(e);
  }

  private static boolean installedAny(Enrollment e) {
    return e.outcomes.stream().anyMatch(o -> o.result.equals("INSTALLED"));
  }

  private Step complete(Enrollment e) throws IOException, ServerException {
    CmRequest r = cm.updateStatus(e.requestId, "Completed");
    e.serverStatus = r == null || r.status() == null ? "Completed" : r.status().wireName();
    persist(e, EnrollmentState.COMPLETED);
    return new Step(e, Step.Wake.DONE, null);
  }

  /** Gives up cleanly: the server request is marked Abandoned and this enrollment's keys leave the token. */
  private Step abandon(Enrollment e) throws IOException, ServerException, TokenException {
    if (e.requestId != null) {
      try {
        CmRequest r = cm.request(e.requestId);
        if (r.status() != null && !r.status().isFinal()) {
          cm.updateStatus(e.requestId, "Abandoned");
        }
      } catch (ServerRefusedException | io.tokenroll.agent.http.ProtocolException ex) {
        progress.accept("could not mark request " + e.requestId + " Abandoned: " + ex.getMessage());
      }
    }
    boolean anyKey = e.keys.stream().anyMatch(k -> k.stage != KeyPlan.Stage.REMOVED);
    if (anyKey) {
      TokenSession s = token.session();
      try (TokenLock lock = token.lock()) {
        for (KeyPlan plan : e.keys) {
          if (plan.stage != KeyPlan.Stage.REMOVED) {
            KeyWork.remove(s, plan);
          }
        }
      }
    }
    persist(e, EnrollmentState.ABANDONED);
    return new Step(e, Step.Wake.DONE, e.lastError);
  }
}
