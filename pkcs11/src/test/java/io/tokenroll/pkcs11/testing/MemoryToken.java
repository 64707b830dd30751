package io.tokenroll.pkcs11.testing;

import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.Curve;
import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyRef;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.KeyUsage;
import io.tokenroll.pkcs11.MechanismSupport;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.PinStatus;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenCapabilities;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenNotFoundException;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenObject.Flag;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.TokenSigner;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import io.tokenroll.pkcs11.piv.PivSlot;
import io.tokenroll.pkcs11.pin.Pin;
import io.tokenroll.pkcs11.pin.PinPurpose;
import io.tokenroll.pkcs11.pin.PinSource;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A token in memory for fast tests, beside the real ones — never instead of them: its keys are real JDK keys, its
 * signatures real, only its storage is a list in this process. Two modes match the two kinds of token the layer
 * knows: {@link Mode#FREE} (a PKCS#11 token: any id, deletion, CA certificates, key import) and {@link Mode#SLOTS}
 * (a PIV card's behaviour: keys only in slots 01–18, overwritten and never deleted, no CA certificates, no import,
 * no exportable keys, usages fixed by the slot). Both pass {@code TokenConformanceTest}.
 */
public final class MemoryToken {
  /** Which kind of token it behaves as. */
  public enum Mode { FREE, SLOTS }

  private MemoryToken() {
  }

  /** A fresh token with {@code label}, the user PIN in a 0600 file under {@code dir}. */
  public static TestToken create(String label, Mode mode, Path dir) {
    Path pin = Backends.pinFile(dir, label + ".pin", 6);
    Path so = Backends.pinFile(dir, label + ".so-pin", 8);
    Module module = new Module(label, mode, Backends.readSecret(pin), Backends.readSecret(so));
    return new TestToken("memory-" + mode.name().toLowerCase(), module, module.info, Path.of("memory"), null, pin,
        so, Map.of());
  }

  /** One record per object: keys as pairs (private and public listed apart), certificates alone. */
  private record Entry(long handle, KeyId id, String label, KeyPair pair, KeySpec spec, Set<Flag> flags,
                       X509Certificate certificate, CertificateCategory category) {
  }

  private static final class Module implements TokenModule {
    private final TokenInfo info;
    private final Mode mode;
    private char[] pin;
    private final char[] soPin;
    private final List<Entry> objects = new ArrayList<>();
    private long nextHandle = 1;
    private boolean loggedIn;

    Module(String label, Mode mode, String pin, String soPin) {
      this.mode = mode;
      this.pin = pin.toCharArray();
      this.soPin = soPin.toCharArray();
      List<MechanismSupport> mechanisms = List.of(
          new MechanismSupport("CKM_RSA_PKCS_KEY_PAIR_GEN", 0x0, 2048, mode == Mode.FREE ? 4096 : 2048, 0),
          new MechanismSupport("CKM_EC_KEY_PAIR_GEN", 0x1040, 256, 384, 0),
          new MechanismSupport("CKM_RSA_PKCS", 0x1, 2048, 4096, 0),
          new MechanismSupport("CKM_ECDSA", 0x1041, 256, 384, 0));
      this.info = new TokenInfo(7, "memory slot", label, "mem-" + label, "tokenroll", "memory " + mode,
          EnumSet.of(TokenInfo.Flag.TOKEN_INITIALIZED, TokenInfo.Flag.USER_PIN_INITIALIZED,
              TokenInfo.Flag.LOGIN_REQUIRED, TokenInfo.Flag.RNG), PinStatus.OK, PinStatus.OK, mechanisms);
    }

    @Override
    public Path library() {
      return Path.of("memory");
    }

    @Override
    public String description() {
      return "tokenroll in-memory test token";
    }

    @Override
    public List<TokenInfo> tokens() {
      return List.of(info);
    }

    @Override
    public TokenInfo select(Pkcs11Uri uri) throws TokenException {
      if (!uri.matches(info)) {
        throw new TokenNotFoundException("no token matches " + uri + " in memory; present: " + info.describe());
      }
      return info;
    }

    @Override
    public TokenSession open(Pkcs11Uri uri) throws TokenException {
      select(uri);
      return new Session(this);
    }

    @Override
    public TokenInfo initializeToken(String label, PinSource soPin, PinSource userPin) throws TokenException {
      throw new TokenUnsupportedException("the in-memory token is made initialised");
    }

    @Override
    public void close() {
    }
  }

  private static final class Session implements TokenSession {
    private final Module m;

    Session(Module m) {
      this.m = m;
    }

    @Override
    public TokenInfo info() {
      return m.info;
    }

    @Override
    public TokenInfo refreshInfo() {
      return m.info;
    }

    @Override
    public TokenCapabilities capabilities() {
      boolean free = m.mode == Mode.FREE;
      Set<KeySpec> specs = free ? Set.of(KeySpec.rsa(2048), KeySpec.rsa(3072), KeySpec.rsa(4096),
          KeySpec.ec(Curve.P256), KeySpec.ec(Curve.P384))
          : Set.of(KeySpec.rsa(2048), KeySpec.ec(Curve.P256), KeySpec.ec(Curve.P384));
      Set<SignatureAlgorithm> algorithms = EnumSet.allOf(SignatureAlgorithm.class);
      if (!free) {
        algorithms.removeIf(a -> a.padding() == SignatureAlgorithm.Padding.PSS);
      }
      return new TokenCapabilities(specs, algorithms, free, true, false, false,
          free ? List.of() : PivSlot.ids(), false, 0, free, true, free, free, free, false);
    }

    @Override
    public boolean isLoggedIn() {
      synchronized (m) {
        return m.loggedIn;
      }
    }

    @Override
    public void login(PinSource pins) throws TokenException {
      try (Pin p = pins.read(m.info, PinPurpose.USER)) {
        if (p.isProtectedAuthenticationPath()) {
          throw new TokenUnsupportedException(m.info.describe() + " has no PIN pad");
        }
        char[] given = p.chars();
        try {
          synchronized (m) {
            if (!Arrays.equals(given, m.pin)) {
              throw new PinIncorrectException(m.info, new PinStatus(true, false, false, false));
            }
            m.loggedIn = true;
          }
        } finally {
          Arrays.fill(given, '\0');
        }
      }
    }

    @Override
    public void loginSecurityOfficer(PinSource pins) throws TokenException {
      try (Pin p = pins.read(m.info, PinPurpose.SECURITY_OFFICER)) {
        if (!Arrays.equals(p.chars(), m.soPin)) {
          throw new PinIncorrectException(m.info, PinStatus.OK);
        }
      }
    }

    @Override
    public void logout() {
      synchronized (m) {
        m.loggedIn = false;
      }
    }

    private void requireLogin(String what) throws TokenException {
      if (!isLoggedIn()) {
        throw new TokenException(what + " on " + m.info.describe() + ": CKR_USER_NOT_LOGGED_IN");
      }
    }

    @Override
    public GeneratedKey generateKeyPair(KeyTemplate template) throws TokenException {
      requireLogin("generating a key");
      TokenCapabilities caps = capabilities();
      if (!caps.canGenerate(template.spec())) {
        throw new TokenUnsupportedException(m.info.describe() + " cannot generate " + template.spec());
      }
      if (template.exportable() && !caps.exportableKeys()) {
        throw new TokenUnsupportedException(m.info.describe() + " cannot generate an exportable key");
      }
      KeyId slot = template.id();
      if (caps.fixedKeyIds()) {
        slot = slot != null ? slot : (template.usages().contains(KeyUsage.SIGN) ? PivSlot.AUTHENTICATION.id()
            : PivSlot.KEY_MANAGEMENT.id());
        if (!caps.keySlots().contains(slot)) {
          throw new TokenUnsupportedException(m.info.describe() + " keeps keys in slots 01–18, not " + slot);
        }
      }
      KeyPair pair = newPair(template.spec());
      KeyId id = slot != null ? slot : KeyId.subjectKeyIdOf(pair.getPublic());
      Set<Flag> flags = EnumSet.of(Flag.TOKEN, Flag.PRIVATE, Flag.SENSITIVE, Flag.ALWAYS_SENSITIVE, Flag.LOCAL);
      flags.add(template.exportable() ? Flag.EXTRACTABLE : Flag.NEVER_EXTRACTABLE);
      if (template.alwaysAuthenticate()) {
        flags.add(Flag.ALWAYS_AUTHENTICATE);
      }
      if (caps.keyUsageRestrictable()) {
        template.usages().forEach(u -> flags.add(switch (u) {
          case SIGN -> Flag.SIGN;
          case DECRYPT -> Flag.DECRYPT;
          case KEY_AGREEMENT -> Flag.DERIVE;
        }));
      } else { // a slot's key does whatever its type can
        flags.add(Flag.SIGN);
        flags.add(template.spec().type() == KeySpec.Type.RSA ? Flag.DECRYPT : Flag.DERIVE);
      }
      synchronized (m) {
        if (caps.fixedKeyIds()) {
          KeyId taken = id;
          m.objects.removeIf(e -> e.pair() != null && e.id().equals(taken)); // the slot's key is overwritten
        }
        m.objects.add(new Entry(m.nextHandle++, id, template.label(), pair, template.spec(), flags, null, null));
      }
      return new GeneratedKey(new KeyRef(id, template.label()), template.spec(), pair.getPublic());
    }

    private static KeyPair newPair(KeySpec spec) throws TokenException {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance(spec.type() == KeySpec.Type.RSA ? "RSA" : "EC");
        if (spec.type() == KeySpec.Type.RSA) {
          g.initialize(spec.bits());
        } else {
          g.initialize(new ECGenParameterSpec(spec.curve().oid().getId()));
        }
        return g.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new TokenException("the JDK cannot make a " + spec + " key: " + e.getMessage());
      }
    }

    private Entry key(KeyId id) throws TokenException {
      synchronized (m) {
        return m.objects.stream().filter(e -> e.pair() != null && e.id().equals(id)).findFirst()
            .orElseThrow(() -> new TokenException("no key with id " + id + " on " + m.info.describe()));
      }
    }

    @Override
    public KeyRef changeKeyId(KeyRef key, KeyId newId) throws TokenException {
      if (capabilities().fixedKeyIds()) {
        throw new TokenUnsupportedException(m.info.describe() + " keeps its keys in their slots");
      }
      synchronized (m) {
        List<Entry> moved = m.objects.stream().filter(e -> e.id().equals(key.id())).toList();
        if (moved.isEmpty()) {
          throw new TokenException("no objects with key id " + key.id());
        }
        m.objects.removeAll(moved);
        moved.forEach(e -> m.objects.add(new Entry(e.handle(), newId, e.label(), e.pair(), e.spec(), e.flags(),
            e.certificate(), e.category())));
      }
      return new KeyRef(newId, key.label());
    }

    @Override
    public PublicKey publicKey(KeyId id) throws TokenException {
      return key(id).pair().getPublic();
    }

    @Override
    public boolean withdrawSigning(KeyId id) throws TokenException {
      if (!capabilities().keyUsageRestrictable()) {
        return false;
      }
      synchronized (m) {
        key(id).flags().remove(Flag.SIGN);
      }
      return true;
    }

    @Override
    public TokenSigner signer(KeyId id, SignatureAlgorithm algorithm) throws TokenException {
      requireLogin("signing");
      Entry k = key(id);
      if (k.spec().type() != algorithm.keyType()) {
        throw new TokenUnsupportedException("the key " + id + " is " + k.spec() + "; it cannot sign "
            + algorithm.jcaName());
      }
      if (!capabilities().canSign(algorithm)) {
        throw new TokenUnsupportedException(m.info.describe() + " cannot sign " + algorithm.jcaName());
      }
      KeyRef ref = new KeyRef(id, k.label());
      return new TokenSigner() {
        @Override
        public byte[] sign(byte[] data) throws TokenException {
          if (!k.flags().contains(Flag.SIGN)) {
            throw new TokenException("the key " + id + " may not sign (CKR_KEY_FUNCTION_NOT_PERMITTED)");
          }
          try {
            Signature s = Signature.getInstance(algorithm.padding() == SignatureAlgorithm.Padding.PSS
                ? "RSASSA-PSS" : algorithm.jcaName());
            if (algorithm.padding() == SignatureAlgorithm.Padding.PSS) {
              s.setParameter(new PSSParameterSpec(algorithm.digest(), "MGF1",
                  new MGF1ParameterSpec(algorithm.digest()), algorithm.digestLength(), 1));
            }
            s.initSign(k.pair().getPrivate());
            s.update(data);
            return s.sign();
          } catch (GeneralSecurityException e) {
            throw new TokenException("signing failed: " + e.getMessage());
          }
        }

        @Override
        public SignatureAlgorithm algorithm() {
          return algorithm;
        }

        @Override
        public PublicKey publicKey() {
          return k.pair().getPublic();
        }

        @Override
        public KeyRef key() {
          return ref;
        }
      };
    }

    @Override
    public List<TokenObject> find(ObjectQuery q) {
      List<TokenObject> found = new ArrayList<>();
      synchronized (m) {
        for (Entry e : m.objects) {
          if (e.pair() != null) {
            found.add(new TokenObject(e.handle(), ObjectClass.PRIVATE_KEY, e.id(), e.label(), e.spec(),
                EnumSet.copyOf(e.flags()), null, null));
            found.add(new TokenObject(-e.handle(), ObjectClass.PUBLIC_KEY, e.id(), e.label(), e.spec(),
                EnumSet.of(Flag.TOKEN, Flag.VERIFY), null, null));
          } else {
            found.add(new TokenObject(e.handle(), ObjectClass.CERTIFICATE, e.id(), e.label(), null, Set.of(),
                e.category(), e.certificate()));
          }
        }
      }
      return found.stream().filter(o -> q.objectClass() == null || o.objectClass() == q.objectClass())
          .filter(o -> q.id() == null || q.id().equals(o.id()))
          .filter(o -> q.label() == null || q.label().equals(o.label())).toList();
    }

    @Override
    public TokenObject storeCertificate(X509Certificate certificate, KeyId id, String label,
                                       CertificateCategory category) throws TokenException {
      requireLogin("storing a certificate");
      if (category == CertificateCategory.AUTHORITY && !capabilities().caCertificateStore()) {
        throw new TokenUnsupportedException(m.info.describe() + " has no place for CA certificates");
      }
      synchronized (m) {
        for (Entry e : m.objects) {
          if (e.certificate() != null && e.certificate().equals(certificate) && e.id().equals(id)) {
            return new TokenObject(e.handle(), ObjectClass.CERTIFICATE, id, e.label(), null, Set.of(),
                e.category(), certificate);
          }
        }
        if (capabilities().fixedKeyIds()) { // one certificate a slot
          m.objects.removeIf(e -> e.certificate() != null && e.id().equals(id));
        }
        Entry e = new Entry(m.nextHandle++, id, label, null, null, Set.of(), certificate, category);
        m.objects.add(e);
        return new TokenObject(e.handle(), ObjectClass.CERTIFICATE, id, label, null, Set.of(), category,
            certificate);
      }
    }

    @Override
    public int delete(ObjectQuery q) throws TokenException {
      if (q.objectClass() == null && q.id() == null && q.label() == null) {
        throw new IllegalArgumentException("refusing to delete everything");
      }
      if (!capabilities().keyDeletion()
          && (q.objectClass() == ObjectClass.PRIVATE_KEY || q.objectClass() == ObjectClass.PUBLIC_KEY)) {
        throw new TokenUnsupportedException(m.info.describe() + " cannot delete a key");
      }
      List<TokenObject> matched = find(q);
      int n = 0;
      synchronized (m) {
        for (TokenObject o : matched) {
          boolean key = o.objectClass() != ObjectClass.CERTIFICATE;
          if (key && !capabilities().keyDeletion()) {
            continue; // a slot's key stays until the next one generated there
          }
          n++;
          if (o.objectClass() == ObjectClass.PUBLIC_KEY) {
            continue; // counted; the pair goes with its private half
          }
          m.objects.removeIf(e -> e.handle() == o.handle());
        }
      }
      return n;
    }

    @Override
    public io.tokenroll.pkcs11.KeyRef importPrivateKey(PrivateKey key, X509Certificate certificate, String label,
                                                       boolean exportable) throws TokenException {
      if (!capabilities().keyImport()) {
        throw new TokenUnsupportedException(m.info.describe() + " does no key import");
      }
      KeyId id = KeyId.subjectKeyIdOf(certificate.getPublicKey());
      synchronized (m) {
        if (m.objects.stream().noneMatch(e -> e.pair() != null && e.id().equals(id))) {
          Set<Flag> flags = EnumSet.of(Flag.TOKEN, Flag.PRIVATE, Flag.SENSITIVE, Flag.SIGN);
          if (exportable) {
            flags.add(Flag.EXTRACTABLE);
          }
          m.objects.add(new Entry(m.nextHandle++, id, label, new KeyPair(certificate.getPublicKey(), key),
              KeySpec.of(certificate.getPublicKey()), flags, null, null));
        }
      }
      storeCertificate(certificate, id, label, CertificateCategory.USER);
      return new KeyRef(id, label);
    }

    @Override
    public void initUserPin(PinSource newPin) throws TokenException {
      try (Pin p = newPin.read(m.info, PinPurpose.NEW_USER)) {
        synchronized (m) {
          System.arraycopy(p.chars(), 0, m.pin = new char[p.chars().length], 0, m.pin.length);
        }
      }
    }

    @Override
    public void changeUserPin(PinSource current, PinSource replacement) throws TokenException {
      login(current);
      initUserPin(replacement);
    }

    @Override
    public void close() {
    }
  }
}
