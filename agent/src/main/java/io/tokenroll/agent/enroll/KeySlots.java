package io.tokenroll.agent.enroll;

import io.tokenroll.agent.journal.Journal;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyUsage;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import io.tokenroll.pkcs11.piv.PivSlot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a key goes on a token with fixed slots (a PIV card, or YKCS11 in front of one), by what the key does, as PIV
 * defines its slots: a signing key to PIV Authentication (9A), then Digital Signature (9C); a decryption or
 * key-agreement key to Key Management (9D); then the retired key-management slots (82–95) in order. Card
 * Authentication (9E), usable without the PIN, is never chosen. A renewal's signing key replaces the key of the same
 * generation option in the renewed enrollment, in its slot. Any other key goes only to a slot that holds no
 * certificate and no key another live enrollment journaled, so keys another enrollment or another program put on the
 * card are not overwritten — and a renewed
 * decryption key, which must go on opening what was encrypted for it, stays where it is: its successor takes a
 * retired slot (a PIV card cannot move a key, so the one in 9D cannot be archived into 82–95).
 */
final class KeySlots {
  private KeySlots() {
  }

  /**
   * The slot for {@code plan}. {@code journaled} are the slots other live enrollments on this card hold keys in
   * (generated or about to be): taken even before their certificates are there.
   */
  static KeyId choose(TokenSession s, KeyPlan plan, List<KeyPlan> siblings, Enrollment previous,
                      Set<KeyId> journaled) throws TokenException {
    if (previous != null && signingOnly(plan)) {
      for (KeyPlan old : previous.keys) {
        if (old.index == plan.index && old.slot != null && signingOnly(old)) {
          return KeyId.parse(old.slot);
        }
      }
    }
    Set<KeyId> taken = new HashSet<>(journaled);
    for (KeyPlan other : siblings) {
      if (other != plan && other.slot != null) {
        taken.add(KeyId.parse(other.slot));
      }
    }
    List<KeyId> order = new ArrayList<>();
    if (signingOnly(plan)) {
      order.add(PivSlot.AUTHENTICATION.id());
      order.add(PivSlot.SIGNATURE.id());
    } else {
      order.add(PivSlot.KEY_MANAGEMENT.id());
    }
    PivSlot.ALL.stream().filter(PivSlot::retired).map(PivSlot::id).forEach(order::add);
    List<KeyId> slots = s.capabilities().keySlots();
    for (KeyId id : order) {
      // each candidate is read by itself: a retired slot's certificate counts even where no key-history object
      // tells of it (ykman and yubico-piv-tool do not keep one)
      if (slots.contains(id) && !taken.contains(id)
          && s.find(ObjectQuery.byId(id).withClass(ObjectClass.CERTIFICATE)).isEmpty()) {
        return id;
      }
    }
    throw new TokenUnsupportedException("no free slot on " + s.info().describe() + " for key " + (plan.index + 1)
        + " (" + String.join(", ", plan.usages).toLowerCase(java.util.Locale.ROOT) + "): every slot for it holds a "
        + "certificate or another enrollment's key; retire an enrollment on this card first");
  }

  /**
   * A key that only signs: renewing it replaces it in its slot. A key that also decrypts or agrees keys is history
   * when renewed (what was encrypted for it must still open) — the rule {@code CardWorkflows.retirePrevious} keeps.
   */
  static boolean signingOnly(KeyPlan plan) {
    return plan.usages.contains(KeyUsage.SIGN.name()) && !plan.usages.contains(KeyUsage.DECRYPT.name())
        && !plan.usages.contains(KeyUsage.KEY_AGREEMENT.name()) && !plan.signsOnlyItsRequest;
  }

  /** The slots the live enrollments on {@code token} other than {@code e} (and the one it renews) have keys in. */
  static Set<KeyId> journaled(Journal journal, Enrollment e) throws java.io.IOException {
    Set<KeyId> held = new HashSet<>();
    for (Enrollment x : journal.all()) {
      if (x.id.equals(e.id) || x.id.equals(e.previous) || !x.isLive() || x.token == null
          || !x.token.equals(e.token)) {
        continue;
      }
      for (KeyPlan k : x.keys) {
        if (k.slot != null && k.stage != KeyPlan.Stage.REMOVED) {
          held.add(KeyId.parse(k.slot));
        }
      }
    }
    return held;
  }
}
