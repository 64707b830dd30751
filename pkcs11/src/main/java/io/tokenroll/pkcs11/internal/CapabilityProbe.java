package io.tokenroll.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import io.tokenroll.pkcs11.Curve;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.MechanismSupport;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenCapabilities;
import io.tokenroll.pkcs11.TokenInfo;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Derives what a token can do from its mechanism list, its flags and its quirks; nothing is written to probe. */
final class CapabilityProbe {
  private static final int[] RSA_SIZES = {2048, 3072, 4096};

  private CapabilityProbe() {
  }

  static TokenCapabilities of(TokenInfo info, Quirks quirks) {
    Set<KeySpec> specs = new LinkedHashSet<>();
    mechanism(info, CKM_RSA_PKCS_KEY_PAIR_GEN).ifPresent(m -> {
      for (int bits : RSA_SIZES) {
        if (inRange(m, bits)) {
          specs.add(KeySpec.rsa(bits));
        }
      }
    });
    mechanism(info, CKM_EC_KEY_PAIR_GEN).ifPresent(m -> {
      for (Curve c : Curve.values()) {
        if (inRange(m, c.bits())) {
          specs.add(KeySpec.ec(c));
        }
      }
    });
    Set<SignatureAlgorithm> algorithms = EnumSet.noneOf(SignatureAlgorithm.class);
    for (SignatureAlgorithm a : SignatureAlgorithm.values()) {
      if (has(info, Mechanisms.combined(a)) || has(info, Mechanisms.raw(a))) {
        algorithms.add(a);
      }
    }
    // A PKCS#11 module with fixed key ids fronts a PIV card (YKCS11): its slots, no key deletion, no CA store.
    java.util.List<io.tokenroll.pkcs11.KeyId> slots = quirks.fixedKeyIds() ? io.tokenroll.pkcs11.piv.PivSlot.ids()
        : java.util.List.of();
    boolean readOnly = quirks.readOnly() || info.has(TokenInfo.Flag.WRITE_PROTECTED);
    return new TokenCapabilities(specs, algorithms, quirks.keyImport() && !readOnly, quirks.parallelObjectWrites(),
        readOnly, quirks.soLoginForKeyGeneration(), slots, quirks.uniqueIssuerSerial(),
        quirks.keyGenerationsPerInitialization(), quirks.keyUsageRestrictable(), quirks.localAttributeReliable(),
        quirks.exportableKeys(), !quirks.fixedKeyIds(), !quirks.fixedKeyIds(), false);
  }

  static boolean has(TokenInfo info, long code) {
    return mechanism(info, code).isPresent();
  }

  private static Optional<MechanismSupport> mechanism(TokenInfo info, long code) {
    return info.mechanisms().stream().filter(m -> m.code() == code).findFirst();
  }

  /** Tokens report key sizes in bits; a zero maximum means "not stated", which we take as no limit. */
  private static boolean inRange(MechanismSupport m, int bits) {
    return m.maxKeySize() == 0 || (bits >= m.minKeySize() && bits <= m.maxKeySize());
  }
}
