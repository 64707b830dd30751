package io.tokenroll.pkcs11;

import io.tokenroll.pkcs11.pin.PinSource;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Access to one token: login, key generation, signing and objects. Thread-safe: each worker thread gets its
 * own PKCS#11 session from a pool; writes to the token are serialised where the token needs it.
 *
 * <p>A login happens once per call to {@link #login}; a wrong PIN is reported, never retried, and nothing in
 * this layer keeps a PIN. If the token is removed the session fails rather than logging in again silently.
 */
public interface TokenSession extends AutoCloseable {
  TokenInfo info();

  /** Fresh token info (PIN flags change after failed logins). */
  TokenInfo refreshInfo() throws TokenException;

  TokenCapabilities capabilities();

  boolean isLoggedIn();

  /** Logs the user in with one PIN from {@code pins}. CKR_USER_ALREADY_LOGGED_IN counts as success. */
  void login(PinSource pins) throws TokenException;

  /** Logs the security officer in (for unblocking the user PIN or tokens that need it for key generation). */
  void loginSecurityOfficer(PinSource pins) throws TokenException;

  void logout() throws TokenException;

  /**
   * Generates a key pair on the token. Unless {@code template.id()} is set, the pair gets CKA_ID = SHA-1 of its
   * public key (the certificate's subject key identifier).
   */
  GeneratedKey generateKeyPair(KeyTemplate template) throws TokenException;

  /** Re-labels a pair's CKA_ID on private key, public key and certificates; returns the new reference. */
  KeyRef changeKeyId(KeyRef key, KeyId newId) throws TokenException;

  /** The public key of the pair with this id, from the public-key object or a certificate. */
  PublicKey publicKey(KeyId id) throws TokenException;

  /**
   * Clears CKA_SIGN on the private key with this id: a decryption or key-agreement key had to sign its own
   * certificate request (proof of possession) and should sign nothing after. True when the token took it; false
   * when the token cannot restrict usages or refuses the change (the key then keeps signing, see docs/tokens.md).
   */
  boolean withdrawSigning(KeyId id) throws TokenException;

  /** A signer over the private key with this id. */
  TokenSigner signer(KeyId id, SignatureAlgorithm algorithm) throws TokenException;

  List<TokenObject> find(ObjectQuery query) throws TokenException;

  /** Writes an X.509 certificate object bound to {@code id}; an identical certificate already there is reused. */
  TokenObject storeCertificate(X509Certificate certificate, KeyId id, String label, CertificateCategory category)
      throws TokenException;

  /** Destroys every object the query matches (an empty query is refused); returns how many went. */
  int delete(ObjectQuery query) throws TokenException;

  /**
   * Writes a private key (from a PFX) and its certificate, where the token accepts key import.
   *
   * @throws TokenUnsupportedException when the token refuses private-key objects
   */
  KeyRef importPrivateKey(PrivateKey key, X509Certificate certificate, String label, boolean exportable)
      throws TokenException;

  /** Sets a new user PIN; the security officer must be logged in (unblock). */
  void initUserPin(PinSource newPin) throws TokenException;

  /**
   * Changes the user PIN from {@code current} to {@code replacement} (C_SetPIN, on a read-write session). A wrong
   * current PIN fails with {@link PinIncorrectException} and is not tried again.
   */
  void changeUserPin(PinSource current, PinSource replacement) throws TokenException;

  /**
   * Unblocks the user PIN: the security officer's PIN (a PKCS#11 SO PIN, a PIV PUK) and the new user PIN. A PIV card
   * takes both in one command (RESET RETRY COUNTER); PKCS#11 logs the officer in, then sets the PIN (C_InitPIN).
   */
  default void unblockUserPin(PinSource officer, PinSource newPin) throws TokenException {
    loginSecurityOfficer(officer);
    initUserPin(newPin);
  }

  /**
   * Authenticates as card administrator by challenge-response (the PIV card management key, 9B): the card's
   * challenge goes to {@code key}, which may be a server that holds the key. Needed before key generation and
   * certificate writes where {@link TokenCapabilities#administratorKey()} says so.
   *
   * @throws AdminKeyRefusedException when the card refuses the answer (another key is set on it)
   */
  default void authenticateAdministrator(AdminKey key) throws TokenException {
    throw new TokenUnsupportedException(info().describe() + " has no administrator key");
  }

  /**
   * Whether the card counts this session as its administrator, as far as the session knows: false where there is
   * none, before {@link #authenticateAdministrator}, and once the session learnt the card forgot it (another
   * program selected the card's application).
   */
  default boolean isAdministrator() {
    return false;
  }

  /** Replaces the administrator key (after {@link #authenticateAdministrator}), with one of the same algorithm. */
  default void changeAdministratorKey(byte[] newKey) throws TokenException {
    throw new TokenUnsupportedException(info().describe() + " has no administrator key");
  }

  /**
   * Tells the session the public key of the key under {@code id}, for tokens that cannot read it back (a PIV card
   * gives a key's public half only when generating it): the caller journaled it then.
   */
  default void rememberPublicKey(KeyId id, PublicKey publicKey) {
  }

  @Override
  void close();
}
