package io.tokenroll.agent.enroll;

import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.pin.PinSource;
import java.io.IOException;
import java.nio.file.Path;

/** {@link TokenAccess} for the token an enrollment names: library, label and serial, PIN source — all journaled. */
public final class ModuleTokenAccess implements TokenAccess {
  private final Enrollment e;
  private final Path lockDir;
  private TokenModule module;
  private TokenSession user;
  private TokenSession anonymous;
  private final PinSource serverPin;
  private io.tokenroll.agent.journal.AuditLog audit;

  public ModuleTokenAccess(Enrollment e, Path lockDir) {
    this(e, lockDir, null);
  }

  /** With {@code serverPin}: where a card's PIN comes from once it is the one the server keeps. */
  public ModuleTokenAccess(Enrollment e, Path lockDir, PinSource serverPin) {
    this.e = e;
    this.lockDir = lockDir;
    this.serverPin = serverPin;
  }

  private TokenModule module() throws TokenException {
    if (module == null) {
      module = e.token.load();
    }
    return module;
  }

  /** Every change this access makes to the token is written to {@code audit} (see {@link AuditedSession}). */
  public ModuleTokenAccess audited(io.tokenroll.agent.journal.AuditLog audit) {
    this.audit = audit;
    return this;
  }

  private TokenSession audited(TokenSession session) {
    return audit == null ? session : new AuditedSession(session, audit, e.id.value());
  }

  public Pkcs11Uri uri() {
    return e.token.uri();
  }

  @Override
  public TokenSession session() throws TokenException {
    if (user == null) {
      if (e.pinSource == null) {
        throw new TokenException("no PIN source is recorded for this enrollment; resume it with --pin-source");
      }
      user = audited(module().open(uri(), ServerPins.FROM_SERVER.equals(e.pinSource) && serverPin != null
          ? serverPin : PinSource.parse(e.pinSource)));
    }
    return user;
  }

  @Override
  public TokenSession anonymousSession() throws TokenException {
    if (anonymous == null) {
      anonymous = audited(module().open(uri()));
    }
    return anonymous;
  }

  @Override
  public TokenLock lock() throws IOException {
    return TokenLock.acquire(lockDir, e.token);
  }

  @Override
  public void close() {
    if (user != null) {
      user.close();
    }
    if (anonymous != null) {
      anonymous.close();
    }
    if (module != null) {
      module.close();
    }
  }
}
