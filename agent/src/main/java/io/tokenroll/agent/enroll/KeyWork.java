package io.tokenroll.agent.enroll;

import io.tokenroll.agent.csr.CsrBuilder;
import io.tokenroll.agent.csr.CsrRequest;
import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyRef;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import java.util.Base64;

/** The token side of an enrollment's keys: generate under a provisional id, finalise the id, sign CSRs, remove. */
final class KeyWork {
  private KeyWork() {
  }

  /**
   * On a token with fixed slots, chooses the plan's slot and what it holds now (the certificate's public key, the
   * key the generation will overwrite); the caller journals both before generating. The slot becomes the key's id.
   */
  static void placeInSlot(TokenSession s, KeyPlan plan, java.util.List<KeyPlan> siblings, Enrollment previous,
                          java.util.Set<KeyId> journaled) throws TokenException {
    KeyId slot = KeySlots.choose(s, plan, siblings, previous, journaled);
    plan.slot = slot.hex();
    plan.provisionalId = slot.hex();
    plan.replacedPublicKey = s.find(ObjectQuery.byId(slot).withClass(io.tokenroll.pkcs11.ObjectClass.CERTIFICATE))
        .stream().findFirst().map(o -> Base64.getEncoder().encodeToString(o.certificate().getPublicKey().getEncoded()))
        .orElse(null);
  }

  /**
   * Removes whatever a crash left under the provisional id (the key was never journaled as generated). A slot
   * cannot be emptied: generating into it again overwrites what a crash left there.
   */
  static int removeLeftovers(TokenSession s, KeyPlan plan) throws TokenException {
    if (plan.slot != null) {
      return 0;
    }
    ObjectQuery q = ObjectQuery.byId(KeyId.parse(plan.provisionalId));
    return s.find(q).isEmpty() ? 0 : s.delete(q);
  }

  static void generate(TokenSession s, KeyPlan plan) throws TokenException {
    KeySpec spec = KeySpec.parse(plan.keySpec);
    java.util.Set<io.tokenroll.pkcs11.KeyUsage> usages = KeyPlans.usages(plan);
    if (plan.signsOnlyItsRequest) {
      usages.add(io.tokenroll.pkcs11.KeyUsage.SIGN); // to sign its own request; withdrawn after installation
    }
    KeyTemplate t = new KeyTemplate(spec, plan.label, usages, plan.exportable, KeyId.parse(plan.provisionalId),
        false);
    GeneratedKey key = s.generateKeyPair(t);
    plan.publicKey = Base64.getEncoder().encodeToString(key.publicKey().getEncoded());
    plan.finalId = s.capabilities().fixedKeyIds() ? key.ref().id().hex()
        : KeyId.subjectKeyIdOf(key.publicKey()).hex();
    plan.stage = KeyPlan.Stage.GENERATED;
  }

  /**
   * Withdraws the signing right a decryption or key-agreement key had only for its request, once its certificate
   * is installed; idempotent. Tells how it went when the token cannot restrict usages.
   */
  static void withdrawRequestSigning(TokenSession s, KeyPlan plan, java.util.function.Consumer<String> note)
      throws TokenException {
    if (!plan.signsOnlyItsRequest || !plan.certified || Boolean.TRUE.equals(plan.signingWithdrawn)
        || plan.stage != KeyPlan.Stage.READY) {
      return;
    }
    plan.signingWithdrawn = s.withdrawSigning(KeyId.parse(plan.finalId));
    if (!plan.signingWithdrawn) {
      note.accept("key " + plan.finalId + " (" + String.join(", ", plan.usages).toLowerCase(java.util.Locale.ROOT)
          + ") can also sign: " + s.info().describe() + " cannot restrict a key's usages after it is made");
    }
  }

  /** Tells a token that cannot read public keys back (PIV) the journaled public key of the plan's key. */
  static void remind(TokenSession s, KeyPlan plan) throws TokenException {
    if (plan.publicKey != null && plan.finalId != null) {
      try {
        s.rememberPublicKey(KeyId.parse(plan.finalId), AnswerInstaller.publicKey(plan));
      } catch (io.tokenroll.agent.response.InvalidResponseException e) {
        throw new TokenException("the journaled public key of key " + (plan.index + 1) + " cannot be read");
      }
    }
  }

  /** Moves the key to its final id; idempotent (a crash may have moved part of it). */
  static void finalizeId(TokenSession s, KeyPlan plan) throws TokenException {
    remind(s, plan);
    KeyId provisional = KeyId.parse(plan.provisionalId);
    KeyId target = KeyId.parse(plan.finalId);
    if (!provisional.equals(target) && !s.find(ObjectQuery.byId(provisional)).isEmpty()) {
      s.changeKeyId(new KeyRef(provisional, plan.label), target);
    }
    if (s.find(ObjectQuery.byId(target).withClass(io.tokenroll.pkcs11.ObjectClass.PRIVATE_KEY)).isEmpty()) {
      throw new TokenException("the key of plan " + (plan.index + 1) + " (id " + target + ") is gone from "
          + s.info().describe());
    }
    plan.stage = KeyPlan.Stage.READY;
  }

  /** The PKCS#10 request of a ready key, signed on the token with the hash the server asked for. */
  static byte[] csr(TokenSession s, KeyPlan plan, java.util.function.Consumer<String> warn) throws TokenException {
    KeySpec spec = KeySpec.parse(plan.keySpec);
    SignatureAlgorithm alg = plan.hash == null ? SignatureAlgorithm.defaultFor(spec)
        : SignatureAlgorithm.forKey(spec.type(), plan.hash, false);
    if (alg.isWeak()) {
      warn.accept("the server asks for " + alg.jcaName() + " on request " + (plan.index + 1)
          + "; SHA-1 is weak, but MIM asks for it, so it is used");
    }
    remind(s, plan);
    try {
      return CsrBuilder.build(s.signer(KeyId.parse(plan.finalId), alg),
          new CsrRequest(CsrRequest.subject(plan.subject), KeyPlans.usages(plan))).getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (IllegalArgumentException e) {
      throw new TokenException("request " + (plan.index + 1) + ": " + e.getMessage());
    }
  }

  /** Removes a key of this enrollment, wherever its id got to, with any certificate bound to it. */
  static int remove(TokenSession s, KeyPlan plan) throws TokenException {
    int n = plan.slot != null ? clearSlot(s, plan) : 0;
    for (String id : plan.slot != null ? new String[0] : new String[] {plan.provisionalId, plan.finalId}) {
      if (id != null && !s.find(ObjectQuery.byId(KeyId.parse(id))).isEmpty()) {
        n += s.delete(ObjectQuery.byId(KeyId.parse(id)));
      }
    }
    plan.stage = KeyPlan.Stage.REMOVED;
    return n;
  }

  /**
   * A slot's key cannot be deleted, and the slot may hold someone else's: nothing is touched before this plan's key
   * was generated there; after, the slot's certificate goes when it is this key's or the one of the key the
   * generation overwrote (dead now), never another.
   */
  private static int clearSlot(TokenSession s, KeyPlan plan) throws TokenException {
    if (plan.publicKey == null) {
      return 0;
    }
    ObjectQuery q = ObjectQuery.byId(KeyId.parse(plan.slot)).withClass(io.tokenroll.pkcs11.ObjectClass.CERTIFICATE);
    for (io.tokenroll.pkcs11.TokenObject o : s.find(q)) {
      String key = Base64.getEncoder().encodeToString(o.certificate().getPublicKey().getEncoded());
      if (key.equals(plan.publicKey) || key.equals(plan.replacedPublicKey)) {
        return s.delete(q);
      }
    }
    return 0;
  }
}
