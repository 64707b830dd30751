package io.tokenroll.agent.enroll;

import io.tokenroll.agent.journal.AuditLog;
import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyRef;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenCapabilities;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.TokenSigner;
import io.tokenroll.pkcs11.pin.PinSource;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * A token session whose every change to the token is written to the audit log once the token did it: the one seam
 * every write of an enrollment passes, so no write can be left out. Reads pass through untouched. A failure to
 * write the audit line fails the step (kept for resume), as an unrecorded change to a card must not pass silently.
 */
public final class AuditedSession implements TokenSession {
  private final TokenSession s;
  private final AuditLog audit;
  private final String enrollment;
  /** The command a person ran, for changes made outside an enrollment (keygen, import-cert, delete); else null. */
  private final String command;

  AuditedSession(TokenSession session, AuditLog audit, String enrollment) {
    this(session, audit, enrollment, null);
  }

  private AuditedSession(TokenSession session, AuditLog audit, String enrollment, String command) {
    this.s = session;
    this.audit = audit;
    this.enrollment = enrollment;
    this.command = command;
  }

  /** A session whose changes are recorded as made by {@code command}, a CLI command outside any enrollment. */
  public static TokenSession forCommand(TokenSession session, AuditLog audit, String command) {
    return new AuditedSession(session, audit, null, command);
  }

  private void record(String event, Map<String, ?> fields) throws TokenException {
    try {
      if (command != null) {
        Map<String, Object> withCommand = new java.util.LinkedHashMap<>(fields);
        withCommand.put("command", command);
        fields = withCommand;
      }
      audit.record(event, enrollment, s.info().describe(), fields);
    } catch (IOException e) {
      // what was done goes into the error instead (ids, serials, never a secret), so nothing on the card goes unsaid
      throw new TokenException(event + " " + fields + " was done on " + s.info().describe() + " but cannot be written "
          + "to the audit log " + audit.file() + ": " + e.getMessage());
    }
  }

  @Override
  public GeneratedKey generateKeyPair(KeyTemplate template) throws TokenException {
    GeneratedKey key = s.generateKeyPair(template);
    record("KEY_GENERATED", Map.of("keyId", key.ref().id().hex(), "spec", key.spec(), "label",
        String.valueOf(key.ref().label())));
    return key;
  }

  @Override
  public KeyRef changeKeyId(KeyRef key, KeyId newId) throws TokenException {
    KeyRef changed = s.changeKeyId(key, newId);
    record("KEY_ID_CHANGED", Map.of("from", key.id().hex(), "keyId", changed.id().hex()));
    return changed;
  }

  @Override
  public boolean withdrawSigning(KeyId id) throws TokenException {
    boolean withdrawn = s.withdrawSigning(id);
    if (withdrawn) {
      record("SIGNING_WITHDRAWN", Map.of("keyId", id.hex()));
    }
    return withdrawn;
  }

  @Override
  public TokenObject storeCertificate(X509Certificate certificate, KeyId id, String label,
                                      CertificateCategory category) throws TokenException {
    TokenObject stored = s.storeCertificate(certificate, id, label, category);
    record("CERTIFICATE_STORED", Map.of("keyId", id.hex(), "category", category, "subject",
        certificate.getSubjectX500Principal().getName(), "serial", certificate.getSerialNumber().toString(16)));
    return stored;
  }

  @Override
  public KeyRef importPrivateKey(PrivateKey key, X509Certificate certificate, String label, boolean exportable)
      throws TokenException {
    KeyRef ref = s.importPrivateKey(key, certificate, label, exportable);
    record("KEY_IMPORTED", Map.of("keyId", ref.id().hex(), "subject", certificate.getSubjectX500Principal().getName(),
        "serial", certificate.getSerialNumber().toString(16)));
    return ref;
  }

  @Override
  public int delete(ObjectQuery query) throws TokenException {
    int n = s.delete(query);
    if (n > 0) {
      record("OBJECTS_REMOVED", Map.of("keyId", query.id() == null ? "" : query.id().hex(), "class",
          String.valueOf(query.objectClass()), "count", n));
    }
    return n;
  }

  @Override
  public void initUserPin(PinSource newPin) throws TokenException {
    s.initUserPin(newPin);
    record("USER_PIN_SET", Map.of("by", "security officer"));
  }

  @Override
  public void changeUserPin(PinSource current, PinSource replacement) throws TokenException {
    s.changeUserPin(current, replacement);
    record("USER_PIN_CHANGED", Map.of());
  }

  @Override
  public void unblockUserPin(PinSource officer, PinSource newPin) throws TokenException {
    s.unblockUserPin(officer, newPin);
    record("USER_PIN_UNBLOCKED", Map.of());
  }

  @Override
  public boolean isAdministrator() {
    return s.isAdministrator();
  }

  @Override
  public void authenticateAdministrator(io.tokenroll.pkcs11.AdminKey key) throws TokenException {
    s.authenticateAdministrator(key);
  }

  @Override
  public void changeAdministratorKey(byte[] newKey) throws TokenException {
    s.changeAdministratorKey(newKey);
    record("ADMIN_KEY_CHANGED", Map.of());
  }

  @Override
  public void rememberPublicKey(KeyId id, java.security.PublicKey publicKey) {
    s.rememberPublicKey(id, publicKey);
  }

  @Override
  public TokenInfo info() {
    return s.info();
  }

  @Override
  public TokenInfo refreshInfo() throws TokenException {
    return s.refreshInfo();
  }

  @Override
  public TokenCapabilities capabilities() {
    return s.capabilities();
  }

  @Override
  public boolean isLoggedIn() {
    return s.isLoggedIn();
  }

  @Override
  public void login(PinSource pins) throws TokenException {
    s.login(pins);
  }

  @Override
  public void loginSecurityOfficer(PinSource pins) throws TokenException {
    s.loginSecurityOfficer(pins);
  }

  @Override
  public void logout() throws TokenException {
    s.logout();
  }

  @Override
  public PublicKey publicKey(KeyId id) throws TokenException {
    return s.publicKey(id);
  }

  @Override
  public TokenSigner signer(KeyId id, SignatureAlgorithm algorithm) throws TokenException {
    return s.signer(id, algorithm);
  }

  @Override
  public List<TokenObject> find(ObjectQuery query) throws TokenException {
    return s.find(query);
  }

  @Override
  public void close() {
    s.close();
  }
}
