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
    return (algorithm, challenge) -> {
      if (k.length != algorithm.keyLength()) {
        throw new TokenException("the administrator key has " + k.length + " bytes; " + algorithm + " takes "
            + algorithm.keyLength());
      }
      try {
        Cipher c = Cipher.getInstance(algorithm.cipher() + "/ECB/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, algorithm.cipher()));
        return c.doFinal(Arrays.copyOf(challenge, challenge.length));
      } catch (GeneralSecurityException e) {
        throw new TokenException("the challenge cannot be encrypted: " + e.getMessage());
      }
    };
  }
}
