package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.journal.Journal;
import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.agent.mimcm.MimCmClient;
import io.tokenroll.agent.mimcm.Models.CertificateItem;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * The enrollment state machine: {@link #step} performs exactly one step and returns the next state with when to
 * step again. Before every side effect the intent is journaled ({@code X_ING}); its result is journaled after. It
 * never sleeps and never waits for a person: a pending approval parks the enrollment. The token side — keys, CSRs,
 * installation, clean-up — is here; the server side is a {@link Protocol} (MIM CM, or a CA reached directly).
 */
public final class EnrollmentMachine {
  private final StateWriter states;
  private final Protocol protocol;
  private final TokenAccess token;
  private final IssuerTrust trust;
  private final boolean writeAuthorities;
  /**
   * The session the card administrator was authenticated on: a card keeps that until it is reset, and tokenroll
   * resets it when its last session on the card closes — a new session authenticates again.
   */
  private TokenSession administered;

  EnrollmentMachine(StateWriter states, Protocol protocol, TokenAccess token, IssuerTrust trust,
                            boolean writeAuthorities) {
    this.states = states;
    this.protocol = protocol;
    this.token = token;
    this.trust = trust;
    this.writeAuthorities = writeAuthorities;
  }

  /** A machine for the MIM CM REST flow. */
  public static EnrollmentMachine mimCm(Journal journal, MimCmClient cm, TokenAccess token, IssuerTrust trust,
                                        boolean writeAuthorities, Consumer<String> progress) {
    StateWriter states = new StateWriter(journal, progress);
    return new EnrollmentMachine(states, new MimCmProtocol(states, cm, token), token, trust, writeAuthorities);
  }

  /** A machine for a CA reached directly with ICertRequest2 semantics (AD CS web enrollment). */
  public static EnrollmentMachine certsrv(Journal journal, io.tokenroll.protocol.certsrv.ICertRequest2 ca,
                                          TokenAccess token, IssuerTrust trust, boolean writeAuthorities,
                                          Consumer<String> progress) {
    StateWriter states = new StateWriter(journal, progress);
    return new EnrollmentMachine(states, new CertsrvProtocol(states, ca, token), token, trust, writeAuthorities);
  }

  public Step step(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException {
    return switch (e.state) {
      case NEED_KEYS, GENERATING_KEY -> keys(e);
      case NEED_INSTALL, INSTALLING -> install(e);
      case NEED_ABANDON -> abandon(e);
      case COMPLETED, ABANDONED, DENIED, CANCELED -> new Step(e, Step.Wake.DONE, null);
      case NEW, CREATING_REQUEST, REQUEST_UNCERTAIN, REQUESTED, PENDING_APPROVAL, APPROVED, BINDING_CARD,
          CARD_UNCERTAIN, CARD_BOUND, NEED_PIN_CHANGE, CHANGING_PIN, PIN_UNCERTAIN, NEED_SUBMIT, SUBMITTING,
          SUBMIT_UNCERTAIN, NEED_COMPLETE -> protocol.step(e);
    };
  }

  /** Generates every planned key under its journaled provisional id, finalises the ids, then signs the CSRs. */
  private Step keys(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException {
    TokenSession s = token.session();
    if (e.keys.stream().anyMatch(k -> k.stage == KeyPlan.Stage.PLANNED)) {
      administrator(e, s); // before the lock: it asks the server, and the lock is never held across a network call
    }
    for (KeyPlan plan : e.keys) {
      if (plan.stage == KeyPlan.Stage.READY || plan.stage == KeyPlan.Stage.REMOVED) {
        continue;
      }
      try (TokenLock lock = token.lock()) {
        if (plan.stage == KeyPlan.Stage.PLANNED) {
          if (s.capabilities().fixedKeyIds() && plan.slot == null) {
            KeyWork.placeInSlot(s, plan, e.keys, previous(e), KeySlots.journaled(states.journal(), e));
            states.persist(e, EnrollmentState.NEED_KEYS); // the slot, and the key it held, before it is overwritten
          }
          int left = KeyWork.removeLeftovers(s, plan);
          if (left > 0) {
            states.note("removed " + left + " object(s) an interrupted run left under id " + plan.provisionalId);
          }
          states.persist(e, EnrollmentState.GENERATING_KEY);
          KeyWork.generate(s, plan);
          CrashPoints.effectDone(EnrollmentState.GENERATING_KEY);
          states.persist(e, EnrollmentState.NEED_KEYS);
        }
        KeyWork.finalizeId(s, plan);
        states.persist(e, EnrollmentState.NEED_KEYS);
      }
    }
    List<String> csrs = new ArrayList<>();
    for (KeyPlan plan : e.keys) {
      csrs.add(Base64.getEncoder().encodeToString(KeyWork.csr(s, plan, states::note)));
    }
    e.csrs = csrs;
    states.persist(e, EnrollmentState.NEED_SUBMIT);
    return Step.now(e);
  }

  private Step install(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException {
    TokenSession s = token.session();
    List<CertificateItem> items;
    try {
      items = AnswerCodec.read(e.answer);
    } catch (EnrollmentException unreadable) {
      // A hostile answer, not a passing failure: reading it again on every resume would fail the same way forever.
      e.lastError = unreadable.getMessage() + "; the answer is refused and the enrollment abandoned";
      e.answer = null;
      e.pfxPassword = null;
      states.persist(e, EnrollmentState.NEED_ABANDON);
      return Step.now(e);
    }
    administrator(e, s); // before the lock, as above
    for (KeyPlan plan : e.keys) {
      KeyWork.remind(s, plan); // a card that cannot read public keys back (PIV), in a later run than its keys'
    }
    try (TokenLock lock = token.lock()) {
      states.persist(e, EnrollmentState.INSTALLING);
      e.outcomes = new AnswerInstaller(s, trust, writeAuthorities, states.journal()).install(e, items);
      for (KeyPlan plan : e.keys) {
        if (!plan.certified && plan.stage != KeyPlan.Stage.REMOVED) {
          KeyWork.remove(s, plan); // its certificate did not come or was refused: leave no orphan key
          forgetOverwritten(e, plan);
        }
        KeyWork.withdrawRequestSigning(s, plan, states::note);
      }
      if (installedAny(e)) {
        protocol.installed(e, s);
      }
      CrashPoints.effectDone(EnrollmentState.INSTALLING);
    }
    e.answer = null;
    e.pfxPassword = null;
    for (ItemOutcome o : e.outcomes) {
      states.note("item " + (o.item + 1) + ": " + o.result + " — " + o.detail);
    }
    if (!installedAny(e)) {
      e.lastError = "nothing in the server's answer could be installed: " + e.outcomes.stream()
          .map(o -> o.detail).toList();
      states.persist(e, EnrollmentState.NEED_ABANDON);
    } else {
      e.renewAfter = Renewal.due(e.outcomes, java.time.Instant.now());
      states.persist(e, EnrollmentState.NEED_COMPLETE);
    }
    return Step.now(e);
  }

  /**
   * Authenticates the card administrator once a run, on tokens whose writes need it (PIV's management key), and
   * again when the session learnt the card forgot it (another program selected the card since).
   */
  private void administrator(Enrollment e, TokenSession s) throws IOException, ServerException, TokenException,
      EnrollmentException {
    if ((administered != s || !s.isAdministrator()) && s.capabilities().administratorKey()) {
      protocol.authenticateAdministrator(e, s);
      administered = s;
    }
  }

  /**
   * A renewal whose key overwrote a slot's and then went without a certificate: the renewed enrollment's key there
   * is gone too, so its journal stops claiming it — and when nothing of it is left on the card, it is no longer the
   * card's current enrollment (the card needs a person: enroll it again).
   */
  private void forgetOverwritten(Enrollment e, KeyPlan plan) throws IOException {
    if (plan.slot == null || plan.publicKey == null || plan.replacedPublicKey == null || e.previous == null) {
      return;
    }
    Enrollment renewed = previous(e);
    if (renewed == null || !renewed.installedKeyIds.remove(plan.slot)) {
      return;
    }
    if (renewed.installedKeyIds.isEmpty()) {
      renewed.supersededBy = e.id;
    }
    states.journal().store(renewed);
    states.note("the key in slot " + plan.slot + " that enrollment " + renewed.id + " installed was overwritten by "
        + "this renewal's and is gone with it" + (renewed.installedKeyIds.isEmpty() ? "; enroll the card again" : ""));
  }

  /** The enrollment a renewal replaces, or null. */
  private Enrollment previous(Enrollment e) throws IOException {
    return e.previous == null ? null : states.journal().get(e.previous).orElse(null);
  }

  private static boolean installedAny(Enrollment e) {
    return e.outcomes.stream().anyMatch(o -> o.result.equals("INSTALLED"));
  }

  /**
   * Gives up cleanly: the server hears the request is abandoned, and what this enrollment put on the token leaves
   * it — its keys with their certificates, keys that came in a PFX, CA certificates no other enrollment installed.
   */
  private Step abandon(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException {
    boolean maybeOnToken = e.keys.stream().anyMatch(k -> k.stage != KeyPlan.Stage.REMOVED)
        || !e.installedKeyIds.isEmpty() || !e.installedCaIds.isEmpty();
    if (e.tokenLost) { // a lost card cannot be cleaned: the request is given up, and what stays out there is said
      protocol.abandon(e);
      e.lastError = "abandoned without its token, which was said to be lost" + (maybeOnToken ? "; the keys this "
          + "enrollment generated stay on it" : "") + certificatesToRevoke(e);
      states.persist(e, EnrollmentState.ABANDONED);
      return new Step(e, Step.Wake.DONE, e.lastError);
    }
    TokenSession s = null;
    if (maybeOnToken) {
      // a card with slots: only a plan whose key was generated there left anything, and clearing its certificate
      // needs the card administrator, not the PIN (which may be the one the card refused); anywhere else a plan
      // may have left a key under its provisional id, and removing objects needs the user
      boolean slots = token.anonymousSession().capabilities().fixedKeyIds();
      boolean onToken = e.keys.stream().anyMatch(k -> k.stage != KeyPlan.Stage.REMOVED && (!slots
          || k.publicKey != null)) || !e.installedKeyIds.isEmpty() || !e.installedCaIds.isEmpty();
      s = !onToken ? null : slots ? token.anonymousSession() : token.session();
    }
    String left = null;
    if (s != null) {
      try {
        administrator(e, s); // while the request is still ours to ask about: the server answers for open requests
      } catch (TokenException | ServerException | EnrollmentException refused) {
        left = refused.getMessage(); // the request is given up all the same; what stays on the card is said
        s = null;
      }
    }
    protocol.abandon(e);
    if (s != null) {
      try (TokenLock lock = token.lock()) {
        for (KeyPlan plan : e.keys) {
          if (plan.stage != KeyPlan.Stage.REMOVED) {
            KeyWork.remove(s, plan);
            forgetOverwritten(e, plan);
          }
        }
        for (String id : e.installedKeyIds) {
          InstalledObjects.delete(s, id);
        }
        for (String id : InstalledObjects.caIdsOnlyUsedBy(states.journal(), List.of(e))) {
          InstalledObjects.delete(s, id);
        }
      }
      e.installedKeyIds.clear();
      e.installedCaIds.clear();
    } else if (left != null) {
      e.lastError = (e.lastError == null ? "" : e.lastError + "; ") + "the card keeps what this enrollment wrote ("
          + "the certificates in slots " + e.installedKeyIds + "): " + left;
    }
    states.persist(e, EnrollmentState.ABANDONED);
    return new Step(e, Step.Wake.DONE, e.lastError);
  }

  /**
   * For a lost token: the certificates the server issued, or may have, for the keys it keeps — with the token and
   * its PIN they log on as its holder until revoked. Known serials are named; once CSRs were made, the server may
   * have answered a submission whose answer never got here (a crash, a lost connection), so that is said too.
   */
  private static String certificatesToRevoke(Enrollment e) {
    List<String> serials = e.outcomes.stream().map(o -> o.certificateSerial).filter(java.util.Objects::nonNull)
        .distinct().toList();
    String request = e.requestId != null ? "request " + e.requestId
        : e.caRequestId != null ? "CA request " + e.caRequestId : "its request";
    if (!serials.isEmpty()) {
      return "; certificates were issued for them (serials " + String.join(", ", serials) + ", " + request
          + "): have them revoked";
    }
    if (e.answer != null || !e.csrs.isEmpty()) {
      return "; the server may have issued certificates for them (" + request + "): check, and have them revoked";
    }
    return "";
  }
}
