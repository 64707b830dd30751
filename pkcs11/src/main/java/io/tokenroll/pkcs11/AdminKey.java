package io.tokenroll.pkcs11;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Answers a card's administrator challenge: the challenge encrypted under the administrator key. The key need not
 * be here — with MIM CM the server holds it and computes the answer ({@code authenticationresponse}), so the
 * workstation never sees it; {@link #local} is for a key the user holds (a test card's default key).
 */
@FunctionalInterface
public interface AdminKey {
  byte[] answer(AdminAlgorithm algorithm, byte[] challenge) throws TokenException;

  /** A key held here. The bytes are copied; use it only for keys that are not secret to this machine. */
  static AdminKey local(byte[] key) {
    byte[] k = key.clone();
    return (algorithm, challenge) -> encrypt(k, algorithm, challenge);
  }

  /**
   * The challenge encrypted under {@code key} (ECB, one block), without a copy of the key kept here: a caller that
   * wipes its key after use leaves none behind but what the JCA's own key object holds while it works.
   */
  static byte[] encrypt(byte[] key, AdminAlgorithm algorithm, byte[] challenge) throws TokenException {
    if (key.length != algorithm.keyLength()) {
      throw new TokenException("the administrator key has " + key.length + " bytes; " + algorithm + " takes "
          + algorithm.keyLength());
    }
    try {
      Cipher c = Cipher.getInstance(algorithm.cipher() + "/ECB/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, algorithm.cipher()));
      return c.doFinal(Arrays.copyOf(challenge, challenge.length));
    } catch (GeneralSecurityException e) {
      throw new TokenException("the challenge cannot be encrypted: " + e.getMessage());
    }
  }
}
