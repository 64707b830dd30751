package io.tokenroll.pkcs11;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to generate on a token. Private keys are always token objects, private and sensitive; they are
 * extractable only when {@code exportable} is asked for explicitly.
 *
 * @param id the CKA_ID to create the pair under; null lets the layer choose (SHA-1 of the public key)
 * @param alwaysAuthenticate sets CKA_ALWAYS_AUTHENTICATE: every signature then needs a context-specific login
 */
public record KeyTemplate(KeySpec spec, String label, Set<KeyUsage> usages, boolean exportable, KeyId id,
                          boolean alwaysAuthenticate) {
  public KeyTemplate {
    Objects.requireNonNull(spec, "spec");
    usages = usages == null || usages.isEmpty() ? EnumSet.of(KeyUsage.SIGN) : EnumSet.copyOf(usages);
    if (spec.type() == KeySpec.Type.RSA && usages.contains(KeyUsage.KEY_AGREEMENT)) {
      throw new IllegalArgumentException("RSA keys cannot do key agreement");
    }
    if (label != null && label.length() > 128) {
      throw new IllegalArgumentException("label longer than 128 characters");
    }
  }

  /** A signing key with the given label and a subject-key-identifier CKA_ID. */
  public static KeyTemplate signing(KeySpec spec, String label) {
    return new KeyTemplate(spec, label, EnumSet.of(KeyUsage.SIGN), false, null, false);
  }

  public KeyTemplate withId(KeyId newId) {
    return new KeyTemplate(spec, label, usages, exportable, newId, alwaysAuthenticate);
  }

  public KeyTemplate withUsages(Set<KeyUsage> newUsages) {
    return new KeyTemplate(spec, label, newUsages, exportable, id, alwaysAuthenticate);
  }

  public KeyTemplate withExportable(boolean value) {
    return new KeyTemplate(spec, label, usages, value, id, alwaysAuthenticate);
  }

  public KeyTemplate withAlwaysAuthenticate(boolean value) {
    return new KeyTemplate(spec, label, usages, exportable, id, value);
  }
}
