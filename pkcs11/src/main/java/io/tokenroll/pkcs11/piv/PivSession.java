package io.tokenroll.pkcs11.piv;

import io.tokenroll.pkcs11.AdminAlgorithm;
import io.tokenroll.pkcs11.AdminKey;
import io.tokenroll.pkcs11.AdminKeyRefusedException;
import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyRef;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.KeyUsage;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.PinLockedException;
import io.tokenroll.pkcs11.PinStatus;
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
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One PIV card through its application's APDUs (SP 800-73-4 Part 2). Keys live in fixed slots and are named by the
 * slot's id (see {@link PivSlot}); a key is generated into its slot, overwriting the one there, and cannot be
 * deleted or renamed; the card has no place for CA certificates; key generation and certificate writes need the card
 * management key (9B), answered by an {@link AdminKey} — the CM server's. The card gives a key's public half only
 * when it generates it, so the session keeps what it learns (generation, a slot's certificate, the caller's
 * journal) and refuses to sign with a key it knows nothing of. Calls are serialised: one card, one conversation.
 */
final class PivSession implements TokenSession {
  /** The order in which a card's management-key algorithm is tried: 3DES is the usual default, then AES. */
  private static final List<AdminAlgorithm> ADMIN_ALGORITHMS = List.of(AdminAlgorithm.TDES, AdminAlgorithm.AES192,
      AdminAlgorithm.AES128, AdminAlgorithm.AES256);

  private final PivModule module;
  private final PivChannel card;
  private TokenInfo info;
  private final Map<KeyId, PublicKey> publicKeys;

  PivSession(PivModule module, PivChannel card, TokenInfo info) {
    this.module = module;
    this.card = card;
    this.info = info;
    this.publicKeys = card.publicKeys;
  }

  static final TokenCapabilities CAPABILITIES = new TokenCapabilities(PivKeys.SPECS,
      EnumSet.of(SignatureAlgorithm.SHA1_RSA, SignatureAlgorithm.SHA256_RSA, SignatureAlgorithm.SHA384_RSA,
          SignatureAlgorithm.SHA512_RSA, SignatureAlgorithm.SHA1_ECDSA, SignatureAlgorithm.SHA256_ECDSA,
          SignatureAlgorithm.SHA384_ECDSA, SignatureAlgorithm.SHA512_ECDSA),
      false, false, false, false, PivSlot.ids(), false, 0, false, false, false, false, false, true);

  @Override
  public synchronized TokenInfo info() {
    return info;
  }

  @Override
  public synchronized TokenInfo refreshInfo() throws TokenException {
    info = PivModule.withPinStatus(info, pinStatus());
    return info;
  }

  /** VERIFY without data: 9000 when verified, 63Cx with the tries left, 6983 when blocked. */
  private PinStatus pinStatus() throws TokenException {
    int sw = card.transaction(() -> card.send(0x20, 0x00, 0x80, new byte[0])).sw();
    return PivModule.pinStatus(sw);
  }

  @Override
  public TokenCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public synchronized boolean isLoggedIn() {
    return card.pinVerified;
  }

  @Override
  public synchronized void login(PinSource pins) throws TokenException {
    verify(pins, PinPurpose.USER);
    card.userPins = pins; // a signature with 9C asks for the PIN again (PIN Always)
  }

  /**
   * VERIFY with one PIN from {@code pins}, in the transaction of {@code then} when there is one. When another
   * application answers (6D00, 6E00: another program left it selected) the PIN never reached PIV and no try was
   * counted: PIV is selected again — which ends the management key's authentication too — and the PIN sent to it.
   */
  private <T> T verify(PinSource pins, PinPurpose purpose, PivChannel.Work<T> then) throws TokenException {
    byte[] block = new byte[8];
    try (Pin pin = pins.read(info, purpose)) {
      pinBlock(pin, "PIN", block, 0);
      return card.transaction(() -> {
        try {
          int sw = card.send(0x20, 0x00, 0x80, block).sw();
          if (otherApplication(sw)) {
            card.administrator = false;
            if (!card.select()) { // not the PIN of whatever answers now
              throw new TokenException("the card in " + card.reader() + " no longer selects its PIV application");
            }
            sw = card.send(0x20, 0x00, 0x80, block).sw();
          }
          refused(sw, "PIN");
        } catch (TokenException refusedOrGone) { // the source is not asked again by itself: a new login must be
          card.pinVerified = false;
          card.userPins = null;
          throw refusedOrGone;
        }
        card.pinVerified = true;
        return then == null ? null : then.run();
      });
    } finally {
      Arrays.fill(block, (byte) 0);
    }
  }

  private void verify(PinSource pins, PinPurpose purpose) throws TokenException {
    verify(pins, purpose, null);
  }

  /**
   * A PIN or PUK as VERIFY takes it, written into {@code block} at {@code at}: 6 to 8 ASCII characters, padded with
   * FF to 8 bytes. Anything else is not sent (and its length not said: messages are logged).
   */
  private void pinBlock(Pin pin, String what, byte[] block, int at) throws TokenException {
    if (pin.isProtectedAuthenticationPath()) {
      throw new io.tokenroll.pkcs11.PinUnavailableException(info.describe() + " has no PIN pad tokenroll can drive "
          + "over PC/SC; give the " + what + " from a file, the environment or a prompt");
    }
    char[] chars = pin.chars();
    try {
      boolean ascii = true;
      for (char c : chars) {
        ascii &= c > 0x20 && c < 0x7F;
      }
      if (chars.length < 6 || chars.length > 8 || !ascii) {
        throw new TokenException("a PIV " + what + " has 6 to 8 printable ASCII characters; this one does not, so "
            + "it was not sent to the card");
      }
      Arrays.fill(block, at, at + 8, (byte) 0xFF);
      for (int i = 0; i < chars.length; i++) {
        block[at + i] = (byte) chars[i];
      }
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** Turns a refused PIN or PUK into its exception; the tries left come from 63Cx. Never retried. */
  private void refused(int sw, String what) throws TokenException {
    if (sw == 0x9000) {
      return;
    }
    PinStatus status = PivModule.pinStatus(sw);
    boolean pin = what.equals("PIN");
    if (pin) {
      info = PivModule.withPinStatus(info, status);
    }
    if (sw == 0x6983 || (sw & 0xFFF0) == 0x63C0 && (sw & 0x0F) == 0) {
      throw pin ? new PinLockedException(info) : new PinLockedException("the " + what + " of " + info.describe()
          + " is blocked; only the card's issuer can help now");
    }
    if ((sw & 0xFFF0) == 0x63C0) {
      throw pin ? new PinIncorrectException(info, status) : new PinIncorrectException("wrong " + what + " for "
          + info.describe() + " (" + (sw & 0x0F) + " tries left); not retried — check where it comes from before "
          + "trying again", status);
    }
    throw failure(sw, "the " + what);
  }

  @Override
  public void loginSecurityOfficer(PinSource pins) throws TokenException {
    throw new TokenUnsupportedException("a PIV card has no security-officer login: its PUK unblocks the PIN in one "
        + "command with the new PIN (unblockUserPin), and its management key is the administrator's");
  }

  @Override
  public synchronized void logout() throws TokenException {
    card.transaction(() -> card.send(0x20, 0xFF, 0x80, new byte[0])); // P1 FF: reset the PIN's verified state
    card.pinVerified = false;
    card.userPins = null; // after a logout nothing logs in again by itself
  }

  @Override
  public boolean isAdministrator() {
    return card.administrator;
  }

  @Override
  public synchronized void authenticateAdministrator(AdminKey key) throws TokenException {
    card.administrator = false;
    List<AdminAlgorithm> order = new ArrayList<>(ADMIN_ALGORITHMS);
    if (card.adminAlgorithm != null) {
      order.remove(card.adminAlgorithm);
      order.add(0, card.adminAlgorithm);
    }
    for (AdminAlgorithm a : order) {
      // The card's challenge (external authentication, SP 800-73-4 Part 2, Appendix A.1) ...
      PivChannel.Answer c = card.transaction(() -> card.send(0x87, a.id(), 0x9B,
          Tlv.of(0x7C, Tlv.of(0x81, new byte[0]))));
      if (c.sw() == 0x6A86 || c.sw() == 0x6A80) {
        continue; // not this card's algorithm
      }
      if (!c.ok()) {
        throw failure(c.sw(), "the management-key challenge");
      }
      byte[] challenge;
      try {
        challenge = Tlv.value(Tlv.value(c.data(), 0x7C, "the challenge"), 0x81, "the challenge");
      } catch (IllegalArgumentException unreadable) {
        throw new TokenException(info.describe() + " sent a management-key challenge tokenroll cannot read: "
            + unreadable.getMessage());
      }
      if (challenge.length != a.blockLength()) {
        throw new TokenException(info.describe() + " sent a " + challenge.length + "-byte challenge for " + a);
      }
      // ... answered outside any transaction (the answer may come from a server) ...
      byte[] answer = key.answer(a, challenge);
      // ... and checked by the card.
      int sw = card.transaction(() -> card.send(0x87, a.id(), 0x9B, Tlv.of(0x7C, Tlv.of(0x82, answer)))).sw();
      if (sw == 0x6982 || sw == 0x6300) {
        throw new AdminKeyRefusedException(info.describe() + " refused the answer to its management-key challenge ("
            + a + "): the key that answered is not the card's");
      }
      if (sw != 0x9000) {
        throw failure(sw, "the management-key answer");
      }
      card.adminAlgorithm = a;
      card.administrator = true;
      return;
    }
    throw new TokenUnsupportedException(info.describe() + " takes none of the management-key algorithms "
        + ADMIN_ALGORITHMS);
  }

  /** SET MANAGEMENT KEY (INS FF, the YubiKey's — SP 800-73-4 leaves key changes to the issuer's own commands). */
  @Override
  public synchronized void changeAdministratorKey(byte[] newKey) throws TokenException {
    requireAdministrator("change the management key");
    if (newKey.length != card.adminAlgorithm.keyLength()) {
      throw new TokenException("a " + card.adminAlgorithm + " management key has "
          + card.adminAlgorithm.keyLength() + " bytes, not " + newKey.length);
    }
    byte[] data = new byte[3 + newKey.length]; // algorithm, 9B, length, key: built in place, wiped after
    data[0] = (byte) card.adminAlgorithm.id();
    data[1] = (byte) 0x9B;
    data[2] = (byte) newKey.length;
    System.arraycopy(newKey, 0, data, 3, newKey.length);
    try {
      int sw = card.transaction(() -> card.send(0xFF, 0xFF, 0xFF, data)).sw();
      if (sw == 0x6D00) {
        throw new TokenUnsupportedException(info.describe() + " cannot change its management key (no SET "
            + "MANAGEMENT KEY command)");
      }
      if (sw != 0x9000) {
        throw failure(sw, "the management-key change");
      }
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  private void requireAdministrator(String what) throws TokenException {
    if (!card.administrator) {
      throw new TokenException("to " + what + " on " + info.describe() + ", authenticate with its management key "
          + "first");
    }
  }

  /** The slot a key goes to when the caller names none: key management for decryption, else PIV authentication. */
  private static PivSlot defaultSlot(Set<KeyUsage> usages) {
    return usages.contains(KeyUsage.SIGN) ? PivSlot.AUTHENTICATION : PivSlot.KEY_MANAGEMENT;
  }

  private static PivSlot slot(KeyId id) throws TokenUnsupportedException {
    return PivSlot.byId(id).orElseThrow(() -> new TokenUnsupportedException("a PIV card keeps keys in slots 01–18 "
        + "(9A, 9C, 9D, 9E, 82–95); id " + id + " is none of them"));
  }

  @Override
  public synchronized GeneratedKey generateKeyPair(KeyTemplate template) throws TokenException {
    PivSlot slot = template.id() == null ? defaultSlot(template.usages()) : slot(template.id());
    if (template.exportable()) {
      throw new TokenUnsupportedException(info.describe() + " cannot generate an exportable key: a PIV card's keys "
          + "never leave it");
    }
    int algorithm = PivKeys.algorithm(template.spec());
    requireAdministrator("generate a key");
    byte[] control = Tlv.of(0xAC, Tlv.of(0x80, new byte[] {(byte) algorithm}));
    PivChannel.Answer a = card.transaction(() -> card.send(0x47, 0x00, slot.key(), control));
    if (!a.ok()) {
      throw failure(a.sw(), "generating a " + template.spec() + " key in slot " + slot.describe());
    }
    PublicKey publicKey;
    try {
      publicKey = PivKeys.fromGenerated(a.data(), template.spec());
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new TokenException(info.describe() + " answered a key generation with no usable public key: "
          + e.getMessage());
    }
    publicKeys.put(slot.id(), publicKey);
    return new GeneratedKey(new KeyRef(slot.id(), template.label()), template.spec(), publicKey);
  }

  @Override
  public KeyRef changeKeyId(KeyRef key, KeyId newId) throws TokenException {
    throw new TokenUnsupportedException("a PIV card's keys stay in their slots: id " + key.id() + " cannot become "
        + newId);
  }

  @Override
  public synchronized PublicKey publicKey(KeyId id) throws TokenException {
    PivSlot slot = slot(id);
    PublicKey known = publicKeys.get(id);
    if (known != null) {
      return known;
    }
    X509Certificate c = certificate(slot);
    if (c == null) {
      throw new TokenException("slot " + slot.describe() + " of " + info.describe() + " has no certificate, and a "
          + "PIV card gives a key's public half only when it generates it");
    }
    return c.getPublicKey();
  }

  @Override
  public synchronized void rememberPublicKey(KeyId id, PublicKey publicKey) {
    publicKeys.put(id, publicKey);
  }

  @Override
  public boolean withdrawSigning(KeyId id) {
    return false; // PIV keys have no usage attributes: the slot's policy is the card's
  }

  @Override
  public synchronized TokenSigner signer(KeyId id, SignatureAlgorithm algorithm) throws TokenException {
    PivSlot slot = slot(id);
    PublicKey key = publicKey(id);
    KeySpec spec = KeySpec.of(key);
    if (spec.type() != algorithm.keyType()) {
      throw new TokenUnsupportedException("the key in slot " + slot.describe() + " is " + spec + "; it cannot sign "
          + algorithm.jcaName());
    }
    if (!CAPABILITIES.canSign(algorithm)) {
      throw new TokenUnsupportedException(info.describe() + " cannot sign " + algorithm.jcaName()
          + " (PKCS#1 v1.5 and ECDSA only)");
    }
    int cardAlgorithm = PivKeys.algorithm(spec);
    KeyRef ref = new KeyRef(id, slot.name());
    return new TokenSigner() {
      @Override
      public byte[] sign(byte[] data) throws TokenException {
        byte[] input;
        try {
          input = PivKeys.signatureInput(key, algorithm,
              MessageDigest.getInstance(algorithm.digest()).digest(data));
        } catch (TokenException e) {
          throw e;
        } catch (Exception e) {
          throw new TokenException("the signature input cannot be built: " + e.getMessage());
        }
        return privateKeyOperation(slot, cardAlgorithm, input);
      }

      @Override
      public SignatureAlgorithm algorithm() {
        return algorithm;
      }

      @Override
      public PublicKey publicKey() {
        return key;
      }

      @Override
      public KeyRef key() {
        return ref;
      }
    };
  }

  /**
   * GENERAL AUTHENTICATE with a slot's key: 7C { 82 (the answer, please), 81 the input } → 7C { 82 the output }. The
   * Digital Signature key (9C) is "PIN Always" (SP 800-73-4): the PIN is verified again, in the same transaction,
   * from the source the login used — as a PKCS#11 key with CKA_ALWAYS_AUTHENTICATE — and the next use of another
   * key verifies it again too, since the card spent the verification on the signature.
   */
  private synchronized byte[] privateKeyOperation(PivSlot slot, int algorithm, byte[] input) throws TokenException {
    byte[] data = Tlv.of(0x7C, Tlv.concat(Tlv.of(0x82, new byte[0]), Tlv.of(0x81, input)));
    PivChannel.Work<PivChannel.Answer> operation = () -> card.send(0x87, algorithm, slot.key(), data);
    PinSource pins = card.userPins;
    // 9C wants the PIN for each use, and a card may count that use against the login of the others: the PIN is
    // verified again from the login's own source — the same login, never a retry (a refusal ends here)
    boolean again = pins != null && slot != PivSlot.CARD_AUTHENTICATION
        && (slot == PivSlot.SIGNATURE || !card.pinVerified);
    PivChannel.Answer a = again ? verify(pins, PinPurpose.CONTEXT_SPECIFIC, operation) : card.transaction(operation);
    if (lostLogin(a) && pins != null && !again) {
      // Another program used the card since our login (an agent meets this whenever a browser or a logon service
      // looks at the card): its SELECT of PIV reset the PIN's verified state (6982), or it left another application
      // selected (6D00, 6E00: VERIFY selects PIV again); either SELECT ended the management key's authentication.
      // The PIN is verified again from the login's source, once, as OpenSC's PIN cache does
      // (sc_pkcs15_pincache_revalidate): a refusal — the source may give another PIN by now — ends the login here.
      card.administrator = false; // the next write authenticates again
      a = verify(pins, PinPurpose.CONTEXT_SPECIFIC, operation);
    }
    if (slot == PivSlot.SIGNATURE) {
      card.pinVerified = false; // PIN Always: the verification was spent on this signature
    }
    if (a.sw() == 0x6982) {
      throw new TokenException("the card in " + card.reader() + " wants its PIN before using the key in slot "
          + slot.describe() + (card.pinVerified ? " (another program reset it since the login)" : ""),
          TokenException.Kind.OTHER, null, null);
    }
    if (!a.ok()) {
      throw failure(a.sw(), "the key in slot " + slot.describe());
    }
    try {
      return Tlv.value(Tlv.value(a.data(), 0x7C, "the card's answer"), 0x82, "the card's answer");
    } catch (IllegalArgumentException unreadable) {
      throw new TokenException("the key in slot " + slot.describe() + " answered with nothing tokenroll can read: "
          + unreadable.getMessage());
    }
  }

  /**
   * Whether a key operation's answer says the card forgot our login: 6982 (security status not satisfied) while PIV
   * is selected, or 6D00/6E00 (instruction or class unknown) when another program left another application selected.
   */
  private boolean lostLogin(PivChannel.Answer a) {
    return card.pinVerified && (a.sw() == 0x6982 || otherApplication(a.sw()));
  }

  /** 6D00 (instruction unknown) or 6E00 (class unknown): an application other than PIV answered. */
  private static boolean otherApplication(int sw) {
    return sw == 0x6D00 || sw == 0x6E00;
  }

  /** The certificate in a slot's object; null when the slot has none. */
  private X509Certificate certificate(PivSlot slot) throws TokenException {
    PivChannel.Answer a = card.transaction(() -> card.getData(slot.object()));
    if (a.sw() == 0x6A82) {
      return null;
    }
    if (!a.ok()) {
      throw failure(a.sw(), "reading the certificate of slot " + slot.describe());
    }
    try {
      return PivObjects.certificate(a.data());
    } catch (IllegalArgumentException e) {
      throw new TokenException("the certificate object of slot " + slot.describe() + " on " + info.describe()
          + " cannot be read: " + e.getMessage());
    }
  }

  @Override
  public synchronized List<TokenObject> find(ObjectQuery query) throws TokenException {
    List<TokenObject> found = new ArrayList<>();
    Integer retiredInUse = null; // read once, when the retired slots are first looked at
    for (PivSlot slot : PivSlot.ALL) {
      if (query.id() != null && !query.id().equals(slot.id())) {
        continue;
      }
      if (slot.retired() && query.id() == null && !publicKeys.containsKey(slot.id())) {
        if (retiredInUse == null) {
          retiredInUse = retiredInUse();
        }
        if (retiredInUse == 0) {
          continue; // twenty GET DATA saved, as OpenSC saves them: the key history says no retired slot is used
        }
      }
      X509Certificate c = certificate(slot);
      PublicKey key = c != null ? c.getPublicKey() : publicKeys.get(slot.id());
      if (c != null) {
        found.add(new TokenObject(slot.key(), ObjectClass.CERTIFICATE, slot.id(), slot.name(), null, Set.of(),
            CertificateCategory.USER, c));
      }
      if (key != null) {
        KeySpec spec = KeySpec.of(key);
        Set<TokenObject.Flag> flags = EnumSet.of(TokenObject.Flag.TOKEN, TokenObject.Flag.PRIVATE,
            TokenObject.Flag.SENSITIVE, TokenObject.Flag.ALWAYS_SENSITIVE, TokenObject.Flag.NEVER_EXTRACTABLE,
            TokenObject.Flag.SIGN); // the card does any operation with any slot's key: usage is the slot's policy
        flags.add(spec.type() == KeySpec.Type.RSA ? TokenObject.Flag.DECRYPT : TokenObject.Flag.DERIVE);
        found.add(new TokenObject(slot.key(), ObjectClass.PRIVATE_KEY, slot.id(), slot.name(), spec, flags, null,
            null));
        found.add(new TokenObject(slot.key(), ObjectClass.PUBLIC_KEY, slot.id(), slot.name(), spec,
            EnumSet.of(TokenObject.Flag.TOKEN, TokenObject.Flag.VERIFY), null, null));
      }
    }
    return found.stream().filter(o -> query.objectClass() == null || o.objectClass() == query.objectClass())
        .filter(o -> query.label() == null || query.label().equals(o.label())).toList();
  }

  @Override
  public synchronized TokenObject storeCertificate(X509Certificate certificate, KeyId id, String label,
                                                   CertificateCategory category) throws TokenException {
    if (category == CertificateCategory.AUTHORITY || PivSlot.byId(id).isEmpty()) {
      throw new TokenUnsupportedException("a PIV card has no place for CA certificates, only one certificate in "
          + "each key slot");
    }
    PivSlot slot = slot(id);
    TokenObject stored = new TokenObject(slot.key(), ObjectClass.CERTIFICATE, slot.id(), slot.name(), null,
        Set.of(), CertificateCategory.USER, certificate);
    if (certificate.equals(certificate(slot))) {
      return stored;
    }
    requireAdministrator("write a certificate");
    put(slot.object(), PivObjects.certificateObject(certificate), "the certificate of slot " + slot.describe());
    publicKeys.put(slot.id(), certificate.getPublicKey());
    if (slot.retired()) {
      countRetiredKeys();
    }
    return stored;
  }

  /** How many retired slots hold a certificate, by the key-history object (none without it). */
  private int retiredInUse() throws TokenException {
    PivChannel.Answer a = card.transaction(() -> card.getData(PivObjects.KEY_HISTORY));
    if (!a.ok()) {
      return 0;
    }
    try {
      byte[] n = Tlv.read(Tlv.value(a.data(), 0x53, "the key-history object")).get(0xC1);
      return n == null || n.length != 1 ? 0 : n[0] & 0xFF;
    } catch (IllegalArgumentException unreadable) {
      return PivSlot.ALL.size(); // look at every slot rather than miss one
    }
  }

  /**
   * Writes the key-history object (5FC10C) with the number of retired slots that hold a certificate: software reads
   * it to know which of 82–95 to look at (OpenSC shows none of them without it).
   */
  private void countRetiredKeys() throws TokenException {
    int n = 0;
    for (PivSlot slot : PivSlot.ALL) {
      if (slot.retired() && certificate(slot) != null) {
        n++;
      }
    }
    put(PivObjects.KEY_HISTORY, PivObjects.keyHistory(n), "the key-history object");
  }

  private void put(int tag, byte[] object, String what) throws TokenException {
    byte[] data = PivObjects.putData(tag, object);
    int sw = card.transaction(() -> card.send(0xDB, 0x3F, 0xFF, data)).sw();
    if (sw == 0x6982) {
      throw new TokenException("writing " + what + " needs the management key, which the card no longer counts as "
          + "authenticated");
    }
    if (sw != 0x9000) {
      throw failure(sw, "writing " + what);
    }
  }

  /**
   * Clears the certificates the query matches. A PIV key cannot be destroyed: it stays in its slot until a new key
   * is generated there, unusable by software that looks for a certificate first (OpenSC).
   */
  @Override
  public synchronized int delete(ObjectQuery query) throws TokenException {
    if (query.objectClass() == null && query.id() == null && query.label() == null) {
      throw new IllegalArgumentException("refusing to delete everything");
    }
    if (query.objectClass() == ObjectClass.PRIVATE_KEY || query.objectClass() == ObjectClass.PUBLIC_KEY) {
      throw new TokenUnsupportedException("a PIV card cannot delete a key; a key generated into its slot replaces "
          + "it");
    }
    int n = 0;
    for (TokenObject o : find(query)) {
      if (o.objectClass() == ObjectClass.CERTIFICATE) {
        PivSlot slot = slot(o.id());
        requireAdministrator("clear a certificate");
        put(slot.object(), PivObjects.emptyObject(), "the certificate of slot " + slot.describe());
        n++;
        if (slot.retired()) {
          countRetiredKeys();
        }
      }
    }
    return n;
  }

  @Override
  public KeyRef importPrivateKey(PrivateKey key, X509Certificate certificate, String label, boolean exportable)
      throws TokenException {
    throw new TokenUnsupportedException("a PIV card does not take private keys from outside (no key import)");
  }

  @Override
  public void initUserPin(PinSource newPin) throws TokenException {
    throw new TokenUnsupportedException("a PIV card sets a new PIN with its PUK (unblock), not as security officer");
  }

  @Override
  public synchronized void unblockUserPin(PinSource puk, PinSource newPin) throws TokenException {
    twoSecrets(0x2C, puk, PinPurpose.SECURITY_OFFICER, "PUK", newPin); // RESET RETRY COUNTER
    refreshInfo();
  }

  @Override
  public synchronized void changeUserPin(PinSource current, PinSource replacement) throws TokenException {
    twoSecrets(0x24, current, PinPurpose.USER, "PIN", replacement); // CHANGE REFERENCE DATA
    card.userPins = replacement;
  }

  /** A command on the PIN whose data is a secret and the new PIN, 8 bytes each; a refusal names the first. */
  private void twoSecrets(int ins, PinSource first, PinPurpose purpose, String name, PinSource newPin)
      throws TokenException {
    byte[] data = new byte[16];
    try (Pin f = first.read(info, purpose); Pin n = newPin.read(info, PinPurpose.NEW_USER)) {
      pinBlock(f, name, data, 0);
      pinBlock(n, "PIN", data, 8);
      refused(card.transaction(() -> card.send(ins, 0x00, 0x80, data)).sw(), name);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  private TokenException failure(int sw, String what) {
    String meaning = switch (sw) {
      case 0x6982 -> "security status not satisfied";
      case 0x6A80 -> "the card refused the data";
      case 0x6A81 -> "function not supported";
      case 0x6A82, 0x6A88 -> "not found";
      case 0x6A84 -> "the card is full";
      case 0x6A86 -> "wrong parameters";
      case 0x6D00 -> "instruction not supported";
      case 0x6581 -> "the card's memory failed";
      default -> "status " + String.format("%04X", sw);
    };
    // what the card will refuse the same way again: the data, the function, its memory, the instruction
    boolean forGood = sw == 0x6A80 || sw == 0x6A81 || sw == 0x6A84 || sw == 0x6D00;
    return new TokenException(what + " on " + info.describe() + ": " + meaning + String.format(" (SW %04X)", sw),
        forGood ? TokenException.Kind.REFUSED : TokenException.Kind.OTHER, String.format("SW %04X", sw), null);
  }

  @Override
  public void close() {
    module.released(card);
  }
}
