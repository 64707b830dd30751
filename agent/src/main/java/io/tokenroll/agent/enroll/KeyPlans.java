package io.tokenroll.agent.enroll;

import io.tokenroll.agent.mimcm.Models.GenerationOption;
import io.tokenroll.pkcs11.Curve;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyUsage;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.protocol.mimcm.EnrollKeyUsages;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Turns MIM's certificate request generation options (WinRT CertificateRequestProperties names) into key plans:
 * {@code KeyAlgorithmName} RSA/ECDSA_P256/ECDSA_P384/ECDH_P256…, {@code KeySize}, {@code HashAlgorithmName},
 * {@code KeyUsages} flags, {@code Exportable}, {@code FriendlyName} (→ CKA_LABEL), {@code Subject}.
 */
public final class KeyPlans {
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyPlans() {
  }

  static KeyPlan from(GenerationOption o, int index, String fallbackLabel) throws EnrollmentException {
    KeySpec spec = keySpec(o);
    KeyPlan plan = new KeyPlan();
    plan.index = index;
    plan.keySpec = spec.toString();
    plan.hash = o.hashAlgorithmName() == null || o.hashAlgorithmName().isBlank() ? null : o.hashAlgorithmName();
    try {
      SignatureAlgorithm.forKey(spec.type(), plan.hash, false);
    } catch (IllegalArgumentException e) {
      throw new EnrollmentException("generation option " + (index + 1) + " asks for hash '" + plan.hash
          + "', which tokenroll cannot sign with");
    }
    plan.subject = o.subject() == null ? "" : o.subject();
    for (KeyUsage u : usages(o.keyUsages(), spec)) {
      plan.usages.add(u.name());
    }
    plan.signsOnlyItsRequest = !plan.usages.contains(KeyUsage.SIGN.name());
    plan.exportable = o.exportable() != null && o.exportable() == 1;
    plan.label = o.friendlyName() != null && !o.friendlyName().isBlank() ? o.friendlyName() : fallbackLabel;
    // A recognisable provisional CKA_ID ("tr" + random), journaled before the key exists.
    byte[] id = new byte[18];
    RANDOM.nextBytes(id);
    id[0] = 't';
    id[1] = 'r';
    plan.provisionalId = KeyId.of(id).hex();
    return plan;
  }

  /** A plan from the user's own choices (a direct CA enrollment has no generation options). */
  public static KeyPlan of(KeySpec spec, String hash, String subject, Set<KeyUsage> usages, boolean exportable,
                           String label) {
    GenerationOption o = new GenerationOption(subject, spec.type() == KeySpec.Type.RSA ? "RSA"
        : "ECDSA_" + spec.curve().displayName().replace("-", ""), spec.bits(), label, hash, java.util.List.of(),
        exportable ? 1 : 0, 0, flags(usages));
    try {
      return from(o, 0, label);
    } catch (EnrollmentException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static int flags(Set<KeyUsage> usages) {
    int f = 0;
    if (usages.contains(KeyUsage.SIGN)) {
      f |= EnrollKeyUsages.SIGNING;
    }
    if (usages.contains(KeyUsage.DECRYPT)) {
      f |= EnrollKeyUsages.DECRYPTION;
    }
    if (usages.contains(KeyUsage.KEY_AGREEMENT)) {
      f |= EnrollKeyUsages.KEY_AGREEMENT;
    }
    return f;
  }

  static KeySpec keySpec(GenerationOption o) throws EnrollmentException {
    String name = o.keyAlgorithmName() == null ? "RSA" : o.keyAlgorithmName().trim().toUpperCase(Locale.ROOT);
    int size = o.keySize() == null ? 0 : o.keySize();
    try {
      if (name.equals("RSA")) {
        return KeySpec.rsa(size == 0 ? 2048 : size);
      }
      if (name.startsWith("ECDSA_") || name.startsWith("ECDH_")) {
        return KeySpec.parse("EC-" + name.substring(name.indexOf('_') + 1));
      }
      if (name.equals("ECDSA") || name.equals("ECDH") || name.equals("EC")) {
        for (Curve c : Curve.values()) {
          if (c.bits() == size) {
            return KeySpec.ec(c);
          }
        }
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new EnrollmentException("the server asks for a key tokenroll cannot make: KeyAlgorithmName '"
        + o.keyAlgorithmName() + "', KeySize " + o.keySize());
  }

  /** WinRT EnrollKeyUsages: 0 means the default, Signing; "All" means every usage the key type has. */
  static Set<KeyUsage> usages(Integer flags, KeySpec spec) {
    int f = flags == null || flags == EnrollKeyUsages.NONE ? EnrollKeyUsages.SIGNING : flags;
    Set<KeyUsage> set = EnumSet.noneOf(KeyUsage.class);
    if ((f & EnrollKeyUsages.SIGNING) != 0) {
      set.add(KeyUsage.SIGN);
    }
    if ((f & EnrollKeyUsages.DECRYPTION) != 0) {
      set.add(spec.type() == KeySpec.Type.RSA ? KeyUsage.DECRYPT : KeyUsage.KEY_AGREEMENT);
    }
    if ((f & EnrollKeyUsages.KEY_AGREEMENT) != 0 && spec.type() == KeySpec.Type.EC) {
      set.add(KeyUsage.KEY_AGREEMENT);
    }
    if (set.isEmpty()) {
      set.add(KeyUsage.SIGN);
    }
    return set;
  }

  /** Refuses a plan the token cannot carry out, before anything is generated. */
  static void checkToken(KeyPlan plan, io.tokenroll.pkcs11.TokenSession session) throws EnrollmentException {
    if (!session.capabilities().canGenerate(KeySpec.parse(plan.keySpec))) {
      throw new EnrollmentException("the server asks for a " + plan.keySpec + " key, which "
          + session.info().describe() + " cannot generate; it offers " + session.capabilities().keySpecs());
    }
  }

  static Set<KeyUsage> usages(KeyPlan plan) {
    Set<KeyUsage> set = EnumSet.noneOf(KeyUsage.class);
    plan.usages.forEach(u -> set.add(KeyUsage.valueOf(u)));
    return set;
  }
}
