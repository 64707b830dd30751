package io.tokenroll.agent.enroll;

import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import java.io.IOException;

/**
 * The token an enrollment writes to. The session is opened and logged in on first use only (an enrollment that
 * is pending on the server never asks for the PIN); the lock serialises writes with other tokenroll processes.
 */
public interface TokenAccess extends AutoCloseable {
  /** The token with the user logged in (asks the PIN source on first use). */
  TokenSession session() throws TokenException;

  /** The token without a user login, for the security officer's work (unblock). */
  TokenSession anonymousSession() throws TokenException;

  TokenLock lock() throws IOException;

  @Override
  void close();
}
