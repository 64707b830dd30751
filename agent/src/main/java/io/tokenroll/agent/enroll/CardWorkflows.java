package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.journal.Journal;
import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.agent.mimcm.MimCmClient;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyUsage;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.pin.PinSource;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The card workflows that follow an approved request without new keys: unblock (a new user PIN set by the
 * security officer — the PKCS#11 counterpart of MIM's admin-key PIN reset) and retire (remove what tokenroll put
 * on the token, mark the card Retired); and the swap at the end of a renewal.
 */
final class CardWorkflows {
  private final Journal journal;
  private final MimCmClient cm;
  private final TokenAccess token;

  CardWorkflows(Journal journal, MimCmClient cm, TokenAccess token) {
    this.journal = journal;
    this.cm = cm;
    this.token = token;
  }

  void unblock(Enrollment e) throws TokenException, IOException, EnrollmentException {
    if (e.soPinSource == null || e.newPinSource == null) {
      throw new EnrollmentException("unblocking needs --so-pin-source and --new-pin-source");
    }
    TokenSession s = token.anonymousSession();
    try (TokenLock lock = token.lock()) {
      s.loginSecurityOfficer(PinSource.parse(e.soPinSource));
      try {
        s.initUserPin(PinSource.parse(e.newPinSource));
      } finally {
        s.logout();
      }
    }
  }

  void retire(Enrollment e) throws TokenException, IOException, ServerException, EnrollmentException {
    Enrollment previous = previous(e);
    TokenSession s = token.session();
    try (TokenLock lock = token.lock()) {
      for (String id : previous.installedKeyIds) {
        delete(s, id);
      }
      for (String id : caIdsOnlyUsedBy(previous)) {
        delete(s, id);
      }
    }
    if (e.smartcardUuid != null) {
      cm.updateSmartcardStatus(e.requestId, e.smartcardUuid, "Retired");
    }
    previous.supersededBy = e.id;
    journal.store(previous);
  }

  /** Renewal: the new certificate is installed; the old signing keys and certificates go, decryption keys stay. */
  void retirePrevious(Enrollment e, TokenSession s) throws TokenException, IOException, EnrollmentException {
    Enrollment previous = previous(e);
    Set<String> keep = new HashSet<>();
    for (KeyPlan k : previous.keys) {
      if (k.finalId != null && k.usages.contains(KeyUsage.DECRYPT.name())) {
        keep.add(k.finalId); // decryption keys stay as history: old mail must still open
      }
    }
    for (String id : previous.installedKeyIds) {
      if (!keep.contains(id) && !e.installedKeyIds.contains(id)) {
        delete(s, id);
      }
    }
    previous.supersededBy = e.id;
    journal.store(previous);
  }

  private Enrollment previous(Enrollment e) throws IOException, EnrollmentException {
    if (e.previous == null) {
      throw new EnrollmentException("no previous enrollment is recorded for this " + e.workflow);
    }
    return journal.find(e.previous).orElseThrow(() -> new EnrollmentException("the previous enrollment "
        + e.previous + " is not in the journal"));
  }

  /** CA certificates are shared: remove one only if no other live enrollment of this token installed it. */
  private List<String> caIdsOnlyUsedBy(Enrollment previous) throws IOException {
    Set<String> others = new HashSet<>();
    for (Enrollment x : journal.all()) {
      if (!x.id.equals(previous.id) && x.supersededBy == null && x.state == EnrollmentState.COMPLETED
          && x.tokenLabel != null && x.tokenLabel.equals(previous.tokenLabel)) {
        others.addAll(x.installedCaIds);
      }
    }
    return previous.installedCaIds.stream().filter(id -> !others.contains(id)).toList();
  }

  private static void delete(TokenSession s, String id) throws TokenException {
    ObjectQuery q = ObjectQuery.byId(KeyId.parse(id));
    if (!s.find(q).isEmpty()) {
      s.delete(q);
    }
  }
}
