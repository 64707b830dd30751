package io.tokenroll.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Token;

/**
 * PKCS#11 sessions for one token, one per concurrent worker. A session that saw an error is discarded rather
 * than reused: it may hold a half-finished operation. Login lives on a separate anchor session (see
 * {@link WrapperSession}), so discarding pooled sessions never logs the token out.
 */
final class SessionPool implements AutoCloseable {
  private final Token token;
  private final boolean readWrite;
  private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();
  private final Set<Session> open = ConcurrentHashMap.newKeySet();

  SessionPool(Token token, boolean readWrite) {
    this.token = token;
    this.readWrite = readWrite;
  }

  Session borrow() throws PKCS11Exception {
    Session s = idle.pollFirst();
    if (s == null) {
      s = token.openSession(readWrite);
      open.add(s);
    }
    return s;
  }

  void release(Session s) {
    idle.offerFirst(s);
  }

  void discard(Session s) {
    open.remove(s);
    try {
      s.closeSession();
    } catch (PKCS11Exception e) {
      // The session is already unusable; nothing more to do.
    }
  }

  /** Errors after which a session must not be reused. */
  static boolean isSessionFatal(PKCS11Exception e) {
    long c = e.getErrorCode();
    return c == CKR_SESSION_HANDLE_INVALID || c == CKR_SESSION_CLOSED || c == CKR_DEVICE_REMOVED
        || c == CKR_TOKEN_NOT_PRESENT || c == CKR_DEVICE_ERROR || c == CKR_OPERATION_ACTIVE;
  }

  @Override
  public void close() {
    idle.clear();
    for (Session s : open) {
      discard(s);
    }
  }
}
