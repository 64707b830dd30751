package io.tokenroll.agent.enroll;

import io.tokenroll.agent.journal.Journal;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Removing what enrollments installed: objects by key id, and the CA certificates no other enrollment needs. */
final class InstalledObjects {
  private InstalledObjects() {
  }

  /** Deletes every object with CKA_ID {@code id} (a key pair and its certificate); nothing there is fine. */
  static void delete(TokenSession s, String id) throws TokenException {
    ObjectQuery q = ObjectQuery.byId(KeyId.parse(id));
    if (!s.find(q).isEmpty()) {
      s.delete(q);
    }
  }

  /**
   * CA certificates are shared: one goes only if no enrollment outside {@code chain} that is live or still under
   * way installed it.
   */
  static List<String> caIdsOnlyUsedBy(Journal journal, List<Enrollment> chain) throws IOException {
    Set<String> mine = new HashSet<>();
    Set<EnrollmentId> chainIds = new HashSet<>();
    for (Enrollment x : chain) {
      mine.addAll(x.installedCaIds);
      chainIds.add(x.id);
    }
    String label = chain.get(0).tokenLabel(); // by label alone: a CA certificate kept too often costs nothing
    Set<String> others = new HashSet<>();
    for (Enrollment x : journal.all()) {
      if (!chainIds.contains(x.id) && x.isLive() && x.tokenLabel() != null
          && x.tokenLabel().equals(label)) { // live or still under way: it may need the certificate
        others.addAll(x.installedCaIds);
        others.addAll(x.usedCaIds);
      }
    }
    return mine.stream().filter(id -> !others.contains(id)).toList();
  }
}
