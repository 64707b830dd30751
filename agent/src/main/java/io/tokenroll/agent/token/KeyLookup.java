package io.tokenroll.agent.token;

import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenSession;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Optional;

/** Finds the private key on a token that belongs to a public key (a certificate's, a CSR's). */
public final class KeyLookup {
  private KeyLookup() {
  }

  /**
   * The CKA_ID of the private key whose public key equals {@code publicKey}: first by the subject key identifier
   * tokenroll uses as id, then by comparing every private key's public key (keys made by other tools).
   */
  public static Optional<KeyId> privateKeyFor(TokenSession session, PublicKey publicKey) throws TokenException {
    KeyId ski = KeyId.subjectKeyIdOf(publicKey);
    if (matches(session, ski, publicKey)) {
      return Optional.of(ski);
    }
    for (TokenObject key : session.find(new ObjectQuery(ObjectClass.PRIVATE_KEY, null, null))) {
      if (key.id() != null && !key.id().equals(ski) && matches(session, key.id(), publicKey)) {
        return Optional.of(key.id());
      }
    }
    return Optional.empty();
  }

  private static boolean matches(TokenSession session, KeyId id, PublicKey publicKey) throws TokenException {
    if (session.find(new ObjectQuery(ObjectClass.PRIVATE_KEY, id, null)).isEmpty()) {
      return false;
    }
    try {
      return Arrays.equals(session.publicKey(id).getEncoded(), publicKey.getEncoded());
    } catch (TokenException e) {
      return false; // a private key without a readable public half cannot be matched
    }
  }
}
