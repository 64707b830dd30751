package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.journal.Journal;
import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.agent.mimcm.MimCmClient;
import io.tokenroll.pkcs11.KeyUsage;
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
      try { // PKCS#11: the SO logs in, then sets the PIN; PIV: the PUK and the new PIN in one command
        s.unblockUserPin(PinSource.parse(e.soPinSource), PinSource.parse(e.newPinSource));
      } finally {
        s.logout();
      }
    }
  }

  /** Removes everything the card's enrollments put on the token: the one retired and those it renewed. */
  void retire(Enrollment e) throws TokenException, IOException, ServerException, EnrollmentException {
    List<Enrollment> chain = chain(previous(e));
    TokenSession s = token.session();
    try (TokenLock lock = token.lock()) {
      for (Enrollment x : chain) {
        for (String id : x.installedKeyIds) {
          InstalledObjects.delete(s, id);
        }
      }
      for (String id : InstalledObjects.caIdsOnlyUsedBy(journal, chain)) {
        InstalledObjects.delete(s, id);
      }
    }
    if (e.smartcardUuid != null) {
      cm.updateSmartcardStatus(e.requestId, e.smartcardUuid, "Retired");
    }
    for (Enrollment x : chain) {
      if (x.supersededBy == null) {
        x.supersededBy = e.id;
        journal.store(x);
      }
    }
  }

  /**
   * Renewal, once the new certificates are installed: each old signing key whose replacement is certified goes,
   * with its certificate. Decryption and key-agreement keys stay as history (old mail must still open), and so do
   * keys that came in a PFX (server-generated or recovered keys) and keys whose replacement failed.
   */
  void retirePrevious(Enrollment e, TokenSession s) throws TokenException, IOException, EnrollmentException {
    Enrollment previous = previous(e);
    Set<Integer> replaced = new HashSet<>();
    for (KeyPlan k : e.keys) {
      if (k.certified) {
        replaced.add(k.index);
      }
    }
    Set<String> retire = new HashSet<>();
    for (KeyPlan k : previous.keys) {
      boolean history = k.usages.contains(KeyUsage.DECRYPT.name()) || k.usages.contains(KeyUsage.KEY_AGREEMENT.name());
      if (k.finalId != null && !history && replaced.contains(k.index)) {
        retire.add(k.finalId);
      }
    }
    for (String id : previous.installedKeyIds) {
      if (retire.contains(id) && !e.installedKeyIds.contains(id)) {
        InstalledObjects.delete(s, id);
      }
    }
    previous.installedKeyIds.removeAll(retire);
    previous.supersededBy = e.id;
    journal.store(previous);
  }

  /** An enrollment and, through the renewals' links, every enrollment before it on the same card. */
  private List<Enrollment> chain(Enrollment last) throws IOException {
    List<Enrollment> chain = new java.util.ArrayList<>(List.of(last));
    Set<EnrollmentId> seen = new HashSet<>(Set.of(last.id));
    for (Enrollment x = last; x.previous != null && seen.add(x.previous); ) {
      var earlier = journal.get(x.previous);
      if (earlier.isEmpty()) {
        break;
      }
      x = earlier.get();
      chain.add(x);
    }
    return chain;
  }

  private Enrollment previous(Enrollment e) throws IOException, EnrollmentException {
    if (e.previous == null) {
      throw new EnrollmentException("no previous enrollment is recorded for this " + e.workflow);
    }
    return journal.get(e.previous).orElseThrow(() -> new EnrollmentException("the previous enrollment "
        + e.previous + " is not in the journal"));
  }
}
