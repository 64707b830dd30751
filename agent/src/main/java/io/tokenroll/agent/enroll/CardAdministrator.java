package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.mimcm.MimCmClient;
import io.tokenroll.pkcs11.AdminAlgorithm;
import io.tokenroll.pkcs11.AdminKey;
import io.tokenroll.pkcs11.AdminKeyRefusedException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import java.io.IOException;
import java.util.Arrays;

/**
 * The card administrator's authentication, for cards whose key generation and certificate writes need it (a PIV
 * card's management key, 9B) — with the CM server holding the key (reference §1.3.11–§1.3.12, §2.2 steps 11–12): the
 * card's challenge goes to {@code authenticationresponse}, which answers with the template's default key or the
 * card's diversified key, so the key never reaches this machine. Once in with the default key on a template that
 * diversifies, the card's key is changed to the server's diversified key ({@code diversifiedkey}) and that is
 * journaled; a crash between the change and the journal shows as the default key refused, and the diversified key
 * is tried then.
 */
final class CardAdministrator {
  private final MimCmClient cm;
  private final StateWriter states;

  CardAdministrator(MimCmClient cm, StateWriter states) {
    this.cm = cm;
    this.states = states;
  }

  /** The server's answers as an {@link AdminKey}; its failures come back out of {@link #authenticate}. */
  private AdminKey serverKey(Enrollment e, boolean diversified) {
    return (algorithm, challenge) -> {
      if (algorithm != AdminAlgorithm.TDES && algorithm != AdminAlgorithm.AES192) {
        throw new TokenUnsupportedException("the card's management key is " + algorithm + "; the CM server answers "
            + "with its 24-byte admin key, as 3DES (MIM) or AES-192 (cmserver), not " + algorithm);
      }
      try {
        return cm.authenticationResponse(e.requestId, e.smartcardUuid, e.cardId, challenge, diversified);
      } catch (ServerException failed) {
        throw new ServerAnswerFailed(failed);
      }
    };
  }

  /** Carries a server failure through the token layer's {@link AdminKey}, which knows nothing of servers. */
  private static final class ServerAnswerFailed extends TokenException {
    private final ServerException cause;

    ServerAnswerFailed(ServerException cause) {
      super("the CM server could not answer the card's challenge: " + cause.getMessage());
      this.cause = cause;
    }
  }

  void authenticate(Enrollment e, TokenSession s) throws IOException, ServerException, TokenException,
      EnrollmentException {
    if (e.smartcardUuid == null) {
      throw new EnrollmentException(s.info().describe() + " needs its administrator key, and the server has no card "
          + "bound to request " + e.requestId + " to answer for");
    }
    try {
      boolean diversified = e.adminKeyDiversified;
      try {
        s.authenticateAdministrator(serverKey(e, diversified));
      } catch (AdminKeyRefusedException refused) {
        if (diversified || !e.diversifyAdminKey) {
          throw refused;
        }
        s.authenticateAdministrator(serverKey(e, true)); // changed before a crash, not journaled
        e.adminKeyDiversified = true;
        states.persist(e, e.state);
        return;
      }
      if (!diversified && e.diversifyAdminKey) {
        byte[] key = cm.diversifiedKey(e.requestId, e.smartcardUuid, e.cardId);
        try {
          s.changeAdministratorKey(key);
        } finally {
          Arrays.fill(key, (byte) 0);
        }
        e.adminKeyDiversified = true;
        states.persist(e, e.state);
        states.note("the card's management key is now the one the server diversified for it");
      }
    } catch (ServerAnswerFailed failed) {
      throw failed.cause;
    }
  }
}
