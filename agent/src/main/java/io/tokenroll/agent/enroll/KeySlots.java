package io.tokenroll.agent.enroll;

import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenObject;
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
 * certificate, so keys another enrollment or another program put on the card are not overwritten — and a renewed
 * decryption key, which must go on opening what was encrypted for it, stays where it is: its successor takes a
 * retired slot (a PIV card cannot move a key, so the one in 9D cannot be archived into 82–95).
 */
final class KeySlots {
  private KeySlots() {
  }

  static KeyId choose(TokenSession s, KeyPlan plan, List<KeyPlan> siblings, Enrollment previous)
      throws TokenException {
    if (previous != null) {
      for (KeyPlan old : previous.keys) {
        if (old.index == plan.index && old.slot != null && signing(old)) {
          return KeyId.parse(old.slot);
        }
      }
    }
    Set<KeyId> taken = new HashSet<>();
    for (TokenObject o : s.find(new ObjectQuery(ObjectClass.CERTIFICATE, null, null))) {
      taken.add(o.id());
    }
    for (KeyPlan other : siblings) {
      if (other != plan && other.slot != null) {
        taken.add(KeyId.parse(other.slot));
      }
    }
    List<KeyId> order = new ArrayList<>();
    if (signing(plan)) {
      order.add(PivSlot.AUTHENTICATION.id());
      order.add(PivSlot.SIGNATURE.id());
    } else {
      order.add(PivSlot.KEY_MANAGEMENT.id());
    }
    PivSlot.ALL.stream().filter(PivSlot::retired).map(PivSlot::id).forEach(order::add);
    List<KeyId> slots = s.capabilities().keySlots();
    for (KeyId id : order) {
      if (slots.contains(id) && !taken.contains(id)) {
        return id;
      }
    }
    throw new TokenUnsupportedException("no free slot on " + s.info().describe() + " for key " + (plan.index + 1)
        + " (" + String.join(", ", plan.usages).toLowerCase(java.util.Locale.ROOT) + "): every slot for it holds a "
        + "certificate; retire an enrollment on this card first");
  }

  /** A key that signs for its own sake: renewing it replaces it; any other key is kept as history. */
  private static boolean signing(KeyPlan plan) {
    return plan.usages.contains(io.tokenroll.pkcs11.KeyUsage.SIGN.name()) && !plan.signsOnlyItsRequest;
  }
}
