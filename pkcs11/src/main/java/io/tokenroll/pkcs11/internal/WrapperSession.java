package io.tokenroll.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyRef;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.PinLockedException;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenCapabilities;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.TokenSigner;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import io.tokenroll.pkcs11.pin.Pin;
import io.tokenroll.pkcs11.pin.PinPurpose;
import io.tokenroll.pkcs11.pin.PinSource;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Token;

/**
 * {@link TokenSession} over the IAIK/xipki wrapper's {@code Session} API (not its {@code PKCS11Token}, which
 * caches the PIN and logs in again by itself). Login is held by an anchor session that does nothing else;
 * work runs on pooled sessions, one per worker thread.
 */
final class WrapperSession implements TokenSession {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WrapperModule module;
  private final Token token;
  private final Quirks quirks;
  private final TokenCapabilities capabilities;
  private final SessionPool pool;
  private final Session anchor;
  private final ReentrantLock writeLock;
  private final KeyObjects keys;
  private volatile TokenInfo info;
  private volatile PinSource userPins;
  private volatile boolean loggedIn;
  private volatile boolean closed;

  WrapperSession(WrapperModule module, Token token, TokenInfo info, Quirks quirks) throws TokenException {
    this.module = module;
    this.token = token;
    this.info = info;
    this.quirks = quirks;
    this.writeLock = module.writeLock(token.getTokenID());
    boolean wantWrite = !CapabilityProbe.of(info, quirks).readOnly();
    this.anchor = openAnchor(token, info, wantWrite);
    boolean writable = wantWrite && isReadWrite(anchor);
    // Some tokens (NSS opened with flags=readOnly) hand out read-only sessions without setting
    // CKF_WRITE_PROTECTED: what the session says is what counts.
    this.capabilities = CapabilityProbe.of(info, writable ? quirks : quirks.asReadOnly());
    this.pool = new SessionPool(token, writable);
    this.keys = new KeyObjects(this);
    module.sessionOpened();
  }

  private static Session openAnchor(Token token, TokenInfo info, boolean readWrite) throws TokenException {
    try {
      return token.openSession(readWrite);
    } catch (PKCS11Exception e) {
      if (readWrite && e.getErrorCode() == CKR_TOKEN_WRITE_PROTECTED) {
        return openAnchor(token, info, false);
      }
      throw Errors.of("opening a session", info, e);
    }
  }

  private static boolean isReadWrite(Session s) {
    try {
      return s.getSessionInfo().isRwSession();
    } catch (PKCS11Exception e) {
      return true; // cannot tell: writes will say so themselves
    }
  }

  /** One unit of PKCS#11 work on a pooled session. */
  @FunctionalInterface
  interface Work<T> {
    T run(Session s) throws PKCS11Exception, TokenException, GeneralSecurityException;
  }

  <T> T withSession(String action, Work<T> work) throws TokenException {
    if (closed) {
      throw new IllegalStateException("token session for " + info.describe() + " is closed");
    }
    Session s;
    try {
      s = pool.borrow();
    } catch (PKCS11Exception e) {
      throw Errors.of(action, info, e);
    }
    boolean healthy = false;
    try {
      T result = work.run(s);
      healthy = true;
      return result;
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() == CKR_PIN_INCORRECT) {
        TokenInfo fresh = refreshInfoQuietly();
        throw new PinIncorrectException(fresh, fresh.userPin());
      }
      throw Errors.of(action, info, e);
    } catch (GeneralSecurityException e) {
      if (e instanceof TokenException te) {
        throw te;
      }
      throw new TokenException(action + " on " + info.describe() + " failed: " + e.getMessage(), null, e);
    } finally {
      if (healthy) {
        pool.release(s);
      } else {
        pool.discard(s);
      }
    }
  }

  /** Object writes are serialised per token; tokens that allow it still generate keys in parallel. */
  <T> T write(String action, boolean objectCreation, Work<T> work) throws TokenException {
    if (capabilities.readOnly()) {
      throw new TokenUnsupportedException(action + ": " + info.describe() + " is read-only");
    }
    boolean serialise = !objectCreation || !capabilities.parallelObjectWrites();
    if (serialise) {
      writeLock.lock();
    }
    try {
      return withSession(action, work);
    } finally {
      if (serialise) {
        writeLock.unlock();
      }
    }
  }

  @Override
  public TokenInfo info() {
    return info;
  }

  @Override
  public TokenInfo refreshInfo() throws TokenException {
    info = TokenInfos.withMechanisms(TokenInfos.read(token, List.of()), info.mechanisms());
    return info;
  }

  private TokenInfo refreshInfoQuietly() {
    try {
      return refreshInfo();
    } catch (TokenException e) {
      return info;
    }
  }

  @Override
  public TokenCapabilities capabilities() {
    return capabilities;
  }

  Quirks quirks() {
    return quirks;
  }

  WrapperModule module() {
    return module;
  }

  @Override
  public boolean isLoggedIn() {
    return loggedIn;
  }

  @Override
  public void login(PinSource pins) throws TokenException {
    login(pins, CKU_USER, PinPurpose.USER);
    userPins = pins;
  }

  @Override
  public void loginSecurityOfficer(PinSource pins) throws TokenException {
    login(pins, CKU_SO, PinPurpose.SECURITY_OFFICER);
  }

  /** One C_Login with one PIN; a wrong PIN is reported with the token's tries flags and never retried. */
  private void login(PinSource pins, long userType, PinPurpose purpose) throws TokenException {
    TokenInfo current = refreshInfo();
    boolean so = userType == CKU_SO;
    if (!so && current.userPin().locked()) {
      throw new PinLockedException(current);
    }
    try (Pin pin = pins.read(current, purpose)) {
      if (pin.isProtectedAuthenticationPath() && !current.has(TokenInfo.Flag.PROTECTED_AUTHENTICATION_PATH)) {
        throw new TokenUnsupportedException(current.describe() + " has no PIN pad (protected authentication path); "
            + "give the PIN with file:<path>, env:<VARIABLE> or prompt");
      }
      synchronized (anchor) {
        anchor.login(userType, pin.chars());
      }
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() == CKR_USER_ALREADY_LOGGED_IN) {
        loggedIn = true;
        return;
      }
      TokenInfo fresh = refreshInfoQuietly();
      if (e.getErrorCode() == CKR_PIN_INCORRECT) {
        throw new PinIncorrectException(fresh, so ? fresh.soPin() : fresh.userPin());
      }
      if (e.getErrorCode() == CKR_PIN_LOCKED) {
        throw so ? new TokenException("the SO PIN of " + fresh.describe() + " is locked", "CKR_PIN_LOCKED", e)
            : new PinLockedException(fresh);
      }
      throw Errors.of("login (" + purpose.description() + ")", current, e);
    }
    loggedIn = true;
  }

  @Override
  public void logout() throws TokenException {
    try {
      synchronized (anchor) {
        anchor.logout();
      }
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() != CKR_USER_NOT_LOGGED_IN) {
        throw Errors.of("logout", info, e);
      }
    } finally {
      loggedIn = false;
      userPins = null;
    }
  }

  /** The PIN for a CKA_ALWAYS_AUTHENTICATE key, from the same source as the login — read afresh, not cached. */
  Pin contextSpecificPin() throws TokenException {
    PinSource pins = userPins;
    if (pins == null) {
      throw new TokenException("this key needs its PIN for every signature; log in with a PIN source first");
    }
    return pins.read(info, PinPurpose.CONTEXT_SPECIFIC);
  }

  @Override
  public GeneratedKey generateKeyPair(KeyTemplate template) throws TokenException {
    if (!capabilities.canGenerate(template.spec())) {
      throw new TokenUnsupportedException(info.describe() + " cannot generate " + template.spec()
          + " keys; it offers " + (capabilities.keySpecs().isEmpty() ? "no key generation" : capabilities.keySpecs()));
    }
    if (template.exportable() && !capabilities.exportableKeys()) {
      throw new TokenUnsupportedException(info.describe() + " cannot generate an exportable key: its keys never "
          + "leave it");
    }
    int budget = capabilities.keyGenerationsPerInitialization();
    if (budget > 0 && module.keysGenerated() >= budget) {
      throw new TokenException(info.describe() + " has generated " + budget + " key pairs since its library was "
          + "initialised, the most it can without running out of TPM handles; once every session on it is closed "
          + "the library is initialised again, and key generation goes on in a new session");
    }
    KeyId provisional = template.id() != null ? template.id() : KeyId.random(RANDOM, 20);
    PKCS11KeyPair pair = write("generating a " + template.spec() + " key", true,
        s -> KeyPairs.generate(s, template, provisional, capabilities.keyUsageRestrictable()));
    module.keyGenerated();
    try {
      PublicKey publicKey = withSession("reading the new public key",
          s -> KeyPairs.readGenerated(s, pair.getPublicKey(), template.spec()));
      KeyId id = provisional;
      if (capabilities.fixedKeyIds()) {
        id = withSession("reading the token-assigned key id",
            s -> KeyId.of(s.getAttrValues(pair.getPrivateKey(), CKA_ID).id()));
      } else if (template.id() == null) {
        id = KeyId.subjectKeyIdOf(publicKey);
        keys.setId(List.of(pair.getPrivateKey(), pair.getPublicKey()), id);
      }
      return new GeneratedKey(new KeyRef(id, template.label()), template.spec(), publicKey);
    } catch (TokenException | RuntimeException e) {
      keys.destroyQuietly(pair.getPrivateKey(), pair.getPublicKey()); // leave no orphan behind
      throw e;
    }
  }

  @Override
  public KeyRef changeKeyId(KeyRef key, KeyId newId) throws TokenException {
    long[] handles = withSession("finding key " + key, s -> TokenObjects.find(s, ObjectQuery.byId(key.id())));
    if (handles.length == 0) {
      throw new TokenException("no objects with key id " + key.id() + " on " + info.describe());
    }
    keys.setId(java.util.Arrays.stream(handles).boxed().toList(), newId);
    return new KeyRef(newId, key.label());
  }

  /** What a token says when it will not change a key's usage attributes. */
  private static final java.util.Set<String> USAGE_FIXED = java.util.Set.of("CKR_ATTRIBUTE_READ_ONLY",
      "CKR_ACTION_PROHIBITED", "CKR_ATTRIBUTE_VALUE_INVALID", "CKR_ATTRIBUTE_TYPE_INVALID", "CKR_TEMPLATE_INCONSISTENT",
      "CKR_FUNCTION_NOT_SUPPORTED");

  @Override
  public boolean withdrawSigning(KeyId id) throws TokenException {
    if (!capabilities.keyUsageRestrictable()) {
      return false; // the token decides usages itself (tpm2-pkcs11): a key made to sign keeps signing
    }
    long[] handles = withSession("finding key " + id, s -> TokenObjects.find(s,
        ObjectQuery.byId(id).withClass(ObjectClass.PRIVATE_KEY)));
    if (handles.length == 0) {
      throw new TokenException("no private key with id " + id + " on " + info.describe());
    }
    try {
      write("withdrawing the signing right of key " + id, false, s -> {
        for (long h : handles) {
          s.setAttributeValues(h, new AttributeVector().sign(false));
        }
        return null;
      });
      return true;
    } catch (TokenException e) {
      if (USAGE_FIXED.contains(e.ckr())) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public PublicKey publicKey(KeyId id) throws TokenException {
    return keys.publicKey(id);
  }

  @Override
  public TokenSigner signer(KeyId id, SignatureAlgorithm algorithm) throws TokenException {
    return keys.signer(id, algorithm);
  }

  @Override
  public List<TokenObject> find(ObjectQuery query) throws TokenException {
    return withSession("listing objects", s -> TokenObjects.readAll(s, TokenObjects.find(s, query)));
  }

  @Override
  public TokenObject storeCertificate(X509Certificate certificate, KeyId id, String label,
                                      CertificateCategory category) throws TokenException {
    return keys.storeCertificate(certificate, id, label, category);
  }

  @Override
  public int delete(ObjectQuery query) throws TokenException {
    if (query.isEmpty()) {
      throw new IllegalArgumentException("refusing to delete every object on the token: give an id, label or class");
    }
    return write("deleting objects", false, s -> {
      long[] handles = TokenObjects.find(s, query);
      for (long h : handles) {
        s.destroyObject(h);
      }
      return handles.length;
    });
  }

  @Override
  public KeyRef importPrivateKey(PrivateKey key, X509Certificate certificate, String label, boolean exportable)
      throws TokenException {
    return keys.importPrivateKey(key, certificate, label, exportable);
  }

  @Override
  public void initUserPin(PinSource newPin) throws TokenException {
    try (Pin pin = newPin.read(info, PinPurpose.NEW_USER)) {
      synchronized (anchor) {
        anchor.initPIN(pin.chars());
      }
    } catch (PKCS11Exception e) {
      throw Errors.of("setting a new user PIN (as security officer)", info, e);
    }
  }

  @Override
  public void changeUserPin(PinSource current, PinSource replacement) throws TokenException {
    try (Pin old = current.read(info, PinPurpose.USER); Pin pin = replacement.read(info, PinPurpose.NEW_USER)) {
      synchronized (anchor) {
        anchor.setPIN(old.chars(), pin.chars());
      }
    } catch (PKCS11Exception e) {
      TokenInfo fresh = refreshInfoQuietly();
      if (e.getErrorCode() == CKR_PIN_INCORRECT) {
        throw new PinIncorrectException(fresh, fresh.userPin());
      }
      if (e.getErrorCode() == CKR_PIN_LOCKED) {
        throw new PinLockedException(fresh);
      }
      throw Errors.of("changing the user PIN", fresh, e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    pool.close();
    try {
      anchor.closeSession();
    } catch (PKCS11Exception e) {
      // closing a session of a removed token fails; it is gone either way
    }
    module.sessionClosed(capabilities.keyGenerationsPerInitialization());
  }

  @Override
  public String toString() {
    return "session on " + info.describe();
  }
}
