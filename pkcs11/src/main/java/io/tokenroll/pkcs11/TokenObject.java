package io.tokenroll.pkcs11;

import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * A snapshot of one object on a token, as listed. {@code handle} is valid only within the token session
 * that produced it. Keys carry their spec and protection flags; certificates their parsed value.
 */
public record TokenObject(long handle, ObjectClass objectClass, KeyId id, String label, KeySpec keySpec,
                          Set<Flag> flags, CertificateCategory category, X509Certificate certificate) {

  /** Protection and usage flags as the token reports them (CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_SIGN …). */
  public enum Flag {
    TOKEN, PRIVATE, SENSITIVE, ALWAYS_SENSITIVE, EXTRACTABLE, NEVER_EXTRACTABLE, LOCAL, ALWAYS_AUTHENTICATE,
    SIGN, DECRYPT, UNWRAP, DERIVE, VERIFY, ENCRYPT, WRAP
  }

  public boolean has(Flag flag) {
    return flags.contains(flag);
  }
}
