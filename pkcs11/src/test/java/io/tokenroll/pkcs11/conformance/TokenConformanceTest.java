package io.tokenroll.pkcs11.conformance;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.KeyUsage;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenCapabilities;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenObject.Flag;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.TokenSigner;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import io.tokenroll.pkcs11.bc.TokenContentSigner;
import io.tokenroll.pkcs11.pin.PinSource;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.TestCertificates;
import io.tokenroll.pkcs11.testing.JdkSignatures;
import io.tokenroll.pkcs11.testing.TestToken;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The token layer's contract, run unchanged against each real PKCS#11 implementation (SoftHSM2, tpm2-pkcs11 on
 * swtpm, NSS softoken) and the in-memory token in both its modes. Where a token lacks something, the test asserts
 * that the layer says so by capability and refuses with a clear message — it does not skip. A token with fixed key
 * slots gets each key of the suite in a slot of its own ({@link #placed}); one that cannot delete keys is asked to
 * and must refuse ({@link #remove}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TokenConformanceTest {
  private static final List<KeySpec> SPECS = List.of(KeySpec.parse("RSA-2048"), KeySpec.parse("RSA-3072"),
      KeySpec.parse("RSA-4096"), KeySpec.parse("EC-P256"), KeySpec.parse("EC-P384"));

  protected TestToken token;
  protected TokenSession session;
  private final Map<KeySpec, GeneratedKey> keys = new ConcurrentHashMap<>();

  /** Makes (or hands out) a fresh token of this backend. */
  protected abstract TestToken newToken();

  /** Key specs this backend is known to support: the capability probe must find at least these. */
  protected abstract Set<KeySpec> expectedKeySpecs();

  @BeforeAll
  void openToken() throws TokenException {
    token = newToken();
    session = token.open();
    prepare(session);
  }

  /** What the token needs before it writes: a PIV card, its card administrator (management key). */
  protected void prepare(TokenSession session) throws TokenException {
  }

  @AfterAll
  void closeToken() {
    if (session != null) {
      session.close();
    }
  }

  private final java.util.concurrent.atomic.AtomicInteger slotsUsed = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * {@code t} as this token takes it: on a token with fixed slots, in the next slot no other key of this suite has
   * (a slot's key is overwritten by the next one generated there); elsewhere as it is.
   */
  protected KeyTemplate placed(KeyTemplate t) {
    List<KeyId> slots = session.capabilities().keySlots();
    return slots.isEmpty() ? t : t.withId(slots.get(slotsUsed.getAndIncrement()));
  }

  /** Removes the key pair with {@code id}; a token that cannot delete keys says so by capability. */
  protected void remove(KeyId id) throws TokenException {
    if (session.capabilities().keyDeletion()) {
      assertEquals(2, session.delete(ObjectQuery.byId(id)), "the key pair goes");
    } else {
      assertThrows(TokenUnsupportedException.class,
          () -> session.delete(ObjectQuery.byId(id).withClass(ObjectClass.PRIVATE_KEY)), "no key deletion");
    }
  }

  protected GeneratedKey key(KeySpec spec) {
    return keys.computeIfAbsent(spec, s -> {
      try {
        return session.generateKeyPair(placed(KeyTemplate.signing(s, "conformance " + s)));
      } catch (TokenException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void tokens_listTheTokenWithItsIdentityAndMechanisms() throws TokenException {
    TokenInfo info = token.module().select(token.uri());
    assertEquals(token.label(), info.label());
    assertTrue(info.has(TokenInfo.Flag.TOKEN_INITIALIZED));
    assertTrue(info.has(TokenInfo.Flag.LOGIN_REQUIRED));
    assertFalse(info.mechanisms().isEmpty());
    assertTrue(token.module().tokens().stream().anyMatch(t -> t.label().equals(token.label())));
    assertTrue(info.mechanisms().stream().anyMatch(m -> m.name().equals("CKM_RSA_PKCS_KEY_PAIR_GEN")
        && m.maxKeySize() >= 2048));
  }

  @Test
  void select_byLabelSerialAndSlot_findsTheSameToken() throws TokenException {
    TokenInfo info = token.info();
    assertEquals(info.slotId(), token.module().select(Pkcs11Uri.parse("pkcs11:token=" + info.label())).slotId());
    assertEquals(info.slotId(), token.module().select(
        Pkcs11Uri.parse("pkcs11:slot-id=" + info.slotId())).slotId());
    assertEquals(info.slotId(), token.module().select(Pkcs11Uri.forToken(info)
        .withPathAttribute("model", info.model())).slotId());
  }

  @Test
  void select_unknownLabel_listsWhatIsPresent() {
    TokenException e = assertThrows(TokenException.class,
        () -> token.module().select(Pkcs11Uri.parse("pkcs11:token=no-such-token")));
    assertTrue(e.getMessage().contains("no token matches"), e.getMessage());
    assertTrue(e.getMessage().contains(token.label()), e.getMessage());
  }

  @Test
  void capabilities_coverTheBackendsKnownKeySpecs() {
    TokenCapabilities caps = session.capabilities();
    assertTrue(caps.keySpecs().containsAll(expectedKeySpecs()), "probe found " + caps.keySpecs());
    assertTrue(caps.canSign(SignatureAlgorithm.SHA256_RSA));
    assertTrue(caps.canSign(SignatureAlgorithm.SHA256_ECDSA));
    assertFalse(caps.readOnly());
  }

  @Test
  void generateKeyPair_eachSpec_privateKeyIsSensitiveNonExtractableWithSkiId() throws Exception {
    for (KeySpec spec : SPECS) {
      if (!session.capabilities().canGenerate(spec)) {
        TokenUnsupportedException e = assertThrows(TokenUnsupportedException.class,
            () -> session.generateKeyPair(KeyTemplate.signing(spec, "unsupported")));
        assertTrue(e.getMessage().contains("cannot generate " + spec), e.getMessage());
        continue;
      }
      GeneratedKey key = key(spec);
      if (session.capabilities().fixedKeyIds()) {
        assertTrue(session.capabilities().keySlots().contains(key.ref().id()), "a slot's id for " + spec);
      } else {
        assertEquals(KeyId.subjectKeyIdOf(key.publicKey()), key.ref().id(), "CKA_ID is the SKI of " + spec);
      }
      List<TokenObject> objects = session.find(ObjectQuery.byId(key.ref().id()));
      TokenObject priv = objects.stream().filter(o -> o.objectClass() == ObjectClass.PRIVATE_KEY).findFirst()
          .orElseThrow(() -> new AssertionError("no private key for " + spec));
      assertTrue(objects.stream().anyMatch(o -> o.objectClass() == ObjectClass.PUBLIC_KEY), "public key " + spec);
      assertEquals(spec, priv.keySpec());
      if (!session.capabilities().fixedKeyIds()) { // a slot's key is named by its slot (a PIV card keeps no label)
        assertEquals("conformance " + spec, priv.label());
      }
      assertTrue(priv.has(Flag.TOKEN) && priv.has(Flag.PRIVATE) && priv.has(Flag.SENSITIVE), spec + " " + priv.flags());
      assertFalse(priv.has(Flag.EXTRACTABLE), spec + " must not be extractable");
      assertTrue(priv.has(Flag.NEVER_EXTRACTABLE) && priv.has(Flag.ALWAYS_SENSITIVE), spec + " " + priv.flags());
      assertEquals(session.capabilities().localAttributeReliable(), priv.has(Flag.LOCAL),
          spec + ": CKA_LOCAL as the capability says " + priv.flags());
      assertTrue(priv.has(Flag.SIGN), spec + " signs");
      if (session.capabilities().keyUsageRestrictable()) {
        assertFalse(priv.has(Flag.DECRYPT), spec + " was not asked to decrypt");
      }
      assertEquals(spec, io.tokenroll.pkcs11.KeySpec.parse(spec.toString()));
      assertEquals(key.publicKey(), session.publicKey(key.ref().id()));
    }
  }

  @Test
  void generateKeyPair_decryptionUsage_setsDecryptAndUnwrap() throws TokenException {
    KeyTemplate t = placed(new KeyTemplate(KeySpec.rsa(2048), "decryption key", EnumSet.of(KeyUsage.DECRYPT),
        false, null, false));
    GeneratedKey key = session.generateKeyPair(t);
    TokenObject priv = session.find(ObjectQuery.byId(key.ref().id()).withClass(ObjectClass.PRIVATE_KEY)).get(0);
    assertTrue(priv.has(Flag.DECRYPT), priv.flags().toString());
    assertEquals(!session.capabilities().keyUsageRestrictable(), priv.has(Flag.SIGN), priv.flags().toString());
    remove(key.ref().id());
  }

  /**
   * Whether this backend lets a key's CKA_SIGN be cleared after it signed its own request (docs/tokens.md). By
   * default: whenever usages can be set at all.
   */
  protected boolean signingWithdrawable() {
    return session.capabilities().keyUsageRestrictable();
  }

  /**
   * A decryption or key-agreement key signs its certificate request once (proof of possession), then signs
   * nothing: its signing right is withdrawn where the token allows it, and the token then refuses to sign with it.
   */
  @Test
  void encryptionKey_signsItsRequest_thenItsSigningRightIsWithdrawn() throws Exception {
    for (var usage : List.of(KeyUsage.DECRYPT, KeyUsage.KEY_AGREEMENT)) {
      KeySpec spec = usage == KeyUsage.DECRYPT ? KeySpec.rsa(2048) : KeySpec.parse("EC-P256");
      GeneratedKey key = session.generateKeyPair(placed(new KeyTemplate(spec, "encryption " + usage,
          EnumSet.of(usage, KeyUsage.SIGN), false, null, false)));
      TokenSigner signer = session.signer(key.ref().id(), SignatureAlgorithm.defaultFor(spec));
      byte[] data = "my request".getBytes();
      assertTrue(JdkSignatures.verifies(SignatureAlgorithm.defaultFor(spec), key.publicKey(), data,
          signer.sign(data)), "it signs its request");
      boolean withdrawn = session.withdrawSigning(key.ref().id());
      assertEquals(signingWithdrawable(), withdrawn, spec + ": signing withdrawn");
      TokenObject priv = session.find(ObjectQuery.byId(key.ref().id()).withClass(ObjectClass.PRIVATE_KEY)).get(0);
      assertEquals(!withdrawn, priv.has(Flag.SIGN), priv.flags().toString());
      if (withdrawn) {
        assertThrows(TokenException.class, () -> session.signer(key.ref().id(), SignatureAlgorithm.defaultFor(spec))
            .sign(data), "the token refuses to sign with it");
      }
      remove(key.ref().id());
    }
  }

  @Test
  void signer_everySupportedAlgorithm_verifiesWithTheJdk() throws Exception {
    byte[] data = "to be signed by the token".getBytes();
    for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
      KeySpec spec = alg.keyType() == KeySpec.Type.RSA ? KeySpec.rsa(2048) : KeySpec.parse("EC-P256");
      if (!session.capabilities().canSign(alg)) {
        assertThrows(TokenUnsupportedException.class, () -> session.signer(key(spec).ref().id(), alg));
        continue;
      }
      TokenSigner signer = session.signer(key(spec).ref().id(), alg);
      assertTrue(JdkSignatures.verifies(alg, signer.publicKey(), data, signer.sign(data)), alg + " signature verifies");
    }
  }

  @Test
  void signer_alwaysAuthenticateKey_logsInForEverySignature() throws Exception {
    GeneratedKey key = session.generateKeyPair(placed(KeyTemplate.signing(KeySpec.parse("EC-P256"), "pin per use")
        .withAlwaysAuthenticate(true)));
    TokenObject priv = session.find(ObjectQuery.byId(key.ref().id()).withClass(ObjectClass.PRIVATE_KEY)).get(0);
    if (!session.capabilities().fixedKeyIds()) { // a slot's PIN policy is the card's (PIV: 9C asks every time)
      assertTrue(priv.has(Flag.ALWAYS_AUTHENTICATE), "every PKCS#11 backend here keeps CKA_ALWAYS_AUTHENTICATE");
    }
    TokenSigner signer = session.signer(key.ref().id(), SignatureAlgorithm.SHA256_ECDSA);
    for (int i = 0; i < 2; i++) {
      byte[] data = ("signature " + i).getBytes();
      Signature v = Signature.getInstance("SHA256withECDSA");
      v.initVerify(key.publicKey());
      v.update(data);
      assertTrue(v.verify(signer.sign(data)), "signature " + i);
    }
    remove(key.ref().id());
  }

  @Test
  void signer_rsaKeyAskedForEcdsa_isRefused() {
    TokenException e = assertThrows(TokenException.class,
        () -> session.signer(key(KeySpec.rsa(2048)).ref().id(), SignatureAlgorithm.SHA256_ECDSA));
    assertTrue(e.getMessage().contains("cannot sign SHA256withECDSA"), e.getMessage());
  }

  @Test
  void csr_signedOnTheToken_verifies() throws Exception {
    for (KeySpec spec : List.of(KeySpec.rsa(2048), KeySpec.parse("EC-P256"))) {
      GeneratedKey key = key(spec);
      TokenSigner signer = session.signer(key.ref().id(), SignatureAlgorithm.defaultFor(spec));
      PKCS10CertificationRequest csr = new PKCS10CertificationRequestBuilder(new X500Name("CN=conformance"),
          SubjectPublicKeyInfo.getInstance(key.publicKey().getEncoded())).build(new TokenContentSigner(signer));
      assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(csr.getSubjectPublicKeyInfo())),
          spec + " CSR verifies");
    }
  }

  @Test
  void certificates_storeFindIdempotentAndDelete() throws Exception {
    GeneratedKey key = key(KeySpec.parse("EC-P256"));
    KeyPair ca = TestCertificates.caKeyPair();
    X509Certificate caCert = TestCertificates.selfSigned(ca, "CN=Conformance CA");
    X509Certificate leaf = TestCertificates.issue(ca, caCert, key.publicKey(), "CN=conformance leaf");

    TokenObject stored = session.storeCertificate(leaf, key.ref().id(), "leaf", CertificateCategory.USER);
    TokenObject again = session.storeCertificate(leaf, key.ref().id(), "leaf", CertificateCategory.USER);
    assertEquals(stored.handle(), again.handle(), "storing the same certificate twice reuses the object");
    if (!session.capabilities().caCertificateStore()) {
      assertThrows(TokenUnsupportedException.class, () -> session.storeCertificate(caCert,
          KeyId.subjectKeyIdOf(ca.getPublic()), "ca", CertificateCategory.AUTHORITY), "no CA store, by capability");
      assertEquals(1, session.delete(new ObjectQuery(ObjectClass.CERTIFICATE, key.ref().id(), null)));
      assertTrue(session.find(ObjectQuery.byId(key.ref().id()).withClass(ObjectClass.CERTIFICATE)).isEmpty());
      assertThrows(IllegalArgumentException.class, () -> session.delete(ObjectQuery.all()));
      return;
    }
    TokenObject authority = session.storeCertificate(caCert, KeyId.subjectKeyIdOf(ca.getPublic()), "ca",
        CertificateCategory.AUTHORITY);

    List<TokenObject> certs = session.find(ObjectQuery.byId(key.ref().id()).withClass(ObjectClass.CERTIFICATE));
    assertEquals(1, certs.size());
    assertEquals(leaf, certs.get(0).certificate());
    assertEquals(CertificateCategory.USER, certs.get(0).category());
    assertEquals(CertificateCategory.AUTHORITY,
        session.find(ObjectQuery.byLabel("ca").withClass(ObjectClass.CERTIFICATE)).get(0).category());
    assertEquals(key.publicKey(), certs.get(0).certificate().getPublicKey());

    assertEquals(1, session.delete(new ObjectQuery(ObjectClass.CERTIFICATE, key.ref().id(), null)));
    assertEquals(1, session.delete(new ObjectQuery(ObjectClass.CERTIFICATE, authority.id(), null)));
    assertTrue(session.find(ObjectQuery.byId(key.ref().id()).withClass(ObjectClass.CERTIFICATE)).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> session.delete(ObjectQuery.all()));
  }

  @Test
  void importPrivateKey_withCertificate_signsOrIsRefusedByCapability() throws Exception {
    KeyPair ca = TestCertificates.caKeyPair();
    X509Certificate caCert = TestCertificates.selfSigned(ca, "CN=Import CA");
    KeyPair serverKey = TestCertificates.rsaKeyPair(2048);
    X509Certificate cert = TestCertificates.issue(ca, caCert, serverKey.getPublic(), "CN=server generated");
    if (!session.capabilities().keyImport()) {
      TokenUnsupportedException e = assertThrows(TokenUnsupportedException.class,
          () -> session.importPrivateKey(serverKey.getPrivate(), cert, "imported", false));
      assertTrue(e.getMessage().contains("key import"), e.getMessage());
      return;
    }
    var ref = session.importPrivateKey(serverKey.getPrivate(), cert, "imported", false);
    assertEquals(KeyId.subjectKeyIdOf(serverKey.getPublic()), ref.id());
    TokenSigner signer = session.signer(ref.id(), SignatureAlgorithm.SHA256_RSA);
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(serverKey.getPublic());
    v.update(new byte[] {1, 2, 3});
    assertTrue(v.verify(signer.sign(new byte[] {1, 2, 3})));
    TokenObject priv = session.find(ObjectQuery.byId(ref.id()).withClass(ObjectClass.PRIVATE_KEY)).get(0);
    assertTrue(priv.has(Flag.SENSITIVE));
    assertFalse(priv.has(Flag.EXTRACTABLE));
    // importing again (a re-run after a crash) completes instead of duplicating
    session.importPrivateKey(serverKey.getPrivate(), cert, "imported", false);
    assertEquals(3, session.find(ObjectQuery.byId(ref.id())).size());
    assertEquals(3, session.delete(ObjectQuery.byId(ref.id())));
  }

  @Test
  void changeKeyId_movesKeyAndCertificates() throws Exception {
    if (session.capabilities().fixedKeyIds()) {
      GeneratedKey slotted = key(KeySpec.parse("EC-P256"));
      assertThrows(TokenUnsupportedException.class, () -> session.changeKeyId(slotted.ref(), KeyId.parse("7a")),
          "a slot's key stays in its slot");
      return;
    }
    GeneratedKey key = session.generateKeyPair(KeyTemplate.signing(KeySpec.parse("EC-P256"), "rename me")
        .withId(KeyId.parse("7a7a7a01")));
    assertEquals(KeyId.parse("7a7a7a01"), key.ref().id(), "an explicit id is kept");
    KeyId ski = KeyId.subjectKeyIdOf(key.publicKey());
    session.changeKeyId(key.ref(), ski);
    assertTrue(session.find(ObjectQuery.byId(key.ref().id())).isEmpty());
    assertEquals(2, session.find(ObjectQuery.byId(ski)).size());
    assertEquals(2, session.delete(ObjectQuery.byId(ski)));
  }

  @Test
  void generateKeyPair_exportableOnlyWhenAsked_orRefusedByCapability() throws Exception {
    KeyTemplate asked = KeyTemplate.signing(KeySpec.parse("EC-P256"), "exportable").withExportable(true);
    KeyTemplate exportable = session.capabilities().exportableKeys() ? placed(asked) : asked;
    if (!session.capabilities().exportableKeys()) {
      TokenUnsupportedException e = assertThrows(TokenUnsupportedException.class,
          () -> session.generateKeyPair(exportable));
      assertTrue(e.getMessage().contains("cannot generate an exportable key"), e.getMessage());
      return;
    }
    GeneratedKey key = session.generateKeyPair(exportable);
    TokenObject priv = session.find(ObjectQuery.byId(key.ref().id()).withClass(ObjectClass.PRIVATE_KEY)).get(0);
    assertTrue(priv.has(Flag.EXTRACTABLE), "asked for: " + priv.flags());
    assertTrue(priv.has(Flag.SENSITIVE), "still sensitive (it leaves the token only wrapped): " + priv.flags());
    session.delete(ObjectQuery.byId(key.ref().id()));
  }

  @Test
  void certificateWrites_fromSeveralThreads_allLand() throws Exception {
    int workers = 4;
    KeyPair ca = TestCertificates.caKeyPair();
    X509Certificate caCert = TestCertificates.selfSigned(ca, "CN=Parallel CA");
    List<GeneratedKey> keys = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      keys.add(session.generateKeyPair(placed(KeyTemplate.signing(KeySpec.parse("EC-P256"), "parallel " + i))));
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "write-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<TokenObject>> futures = new ArrayList<>();
      for (GeneratedKey k : keys) {
        X509Certificate leaf = TestCertificates.issue(ca, caCert, k.publicKey(), "CN=parallel " + k.ref().id());
        // one label per subject: NSS treats CKA_LABEL as a nickname and refuses it on a second subject
        futures.add(pool.submit(() -> session.storeCertificate(leaf, k.ref().id(), "parallel " + k.ref().id(),
            CertificateCategory.USER)));
      }
      for (Future<TokenObject> f : futures) {
        f.get(); // serialised where the token needs it (NSS), in parallel elsewhere: every write lands
      }
      for (GeneratedKey k : keys) {
        assertEquals(1, session.find(ObjectQuery.byId(k.ref().id()).withClass(ObjectClass.CERTIFICATE)).size());
        session.delete(session.capabilities().keyDeletion() ? ObjectQuery.byId(k.ref().id())
            : ObjectQuery.byId(k.ref().id()).withClass(ObjectClass.CERTIFICATE));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void parallelKeyGeneration_onePkcs11SessionPerWorker_givesDistinctKeys() throws Exception {
    int workers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "keygen-worker");
      t.setDaemon(true); // a hung token must not hang the JVM
      return t;
    });
    try {
      List<Future<GeneratedKey>> futures = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        KeyTemplate t = placed(KeyTemplate.signing(KeySpec.parse("EC-P256"), "parallel " + i));
        futures.add(pool.submit(() -> session.generateKeyPair(t)));
      }
      Set<KeyId> ids = new HashSet<>();
      for (Future<GeneratedKey> f : futures) {
        ids.add(f.get().ref().id());
      }
      assertEquals(workers, ids.size());
      for (KeyId id : ids) {
        remove(id);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void login_wrongPin_reportsTokenFlagsAndIsNotRetried() throws Exception {
    try (TokenSession fresh = token.module().open(token.uri())) {
      fresh.logout();
      java.nio.file.Path wrong = Backends.writeSecret(token.userPinFile().resolveSibling("wrong.pin"), "0000000");
      PinIncorrectException e = assertThrows(PinIncorrectException.class,
          () -> fresh.login(PinSource.parse("file:" + wrong)));
      assertTrue(e.getMessage().contains("wrong PIN for token '" + token.label() + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("not retried"), e.getMessage());
      assertFalse(e.status().locked());
      fresh.login(token.userPins()); // the right PIN still works: one failure, not a lockout
      assertTrue(fresh.isLoggedIn());
    }
  }

  @Test
  void login_withAPinPadSource_onATokenWithoutOne_isRefusedBeforeTheTokenSeesIt() throws Exception {
    try (TokenSession fresh = token.module().open(token.uri())) {
      fresh.logout();
      assertFalse(fresh.info().has(io.tokenroll.pkcs11.TokenInfo.Flag.PROTECTED_AUTHENTICATION_PATH),
          "no backend here has a PIN pad");
      TokenException e = assertThrows(TokenException.class, () -> fresh.login(PinSource.parse("pinpad")));
      assertTrue(e.getMessage().contains("has no PIN pad"), e.getMessage());
      assertFalse(e instanceof PinIncorrectException, "refused before the token saw a PIN");
      fresh.login(token.userPins());
      assertTrue(fresh.isLoggedIn());
    }
  }

  @Test
  void generateKeyPair_notLoggedIn_failsClearly() throws Exception {
    try (TokenSession anonymous = token.module().open(token.uri())) {
      anonymous.logout(); // login state is per token: undo the class session's login for this check
      if (session.capabilities().administratorKey()) { // the card administrator guards generation, not the PIN
        assertFalse(anonymous.isLoggedIn(), "logged out");
        session.login(token.userPins());
        return;
      }
      try {
        TokenException e = assertThrows(TokenException.class,
            () -> anonymous.generateKeyPair(KeyTemplate.signing(KeySpec.parse("EC-P256"), "anonymous")));
        assertTrue(e.getMessage().contains(token.label()), e.getMessage());
      } finally {
        session.login(token.userPins());
      }
    }
  }
}
