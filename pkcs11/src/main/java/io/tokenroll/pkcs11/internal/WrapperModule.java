package io.tokenroll.pkcs11.internal;

import io.tokenroll.pkcs11.ModuleLoadException;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenNotFoundException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.pin.Pin;
import io.tokenroll.pkcs11.pin.PinPurpose;
import io.tokenroll.pkcs11.pin.PinSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.xipki.pkcs11.wrapper.ModuleInfo;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.Token;

/**
 * The one initialised instance of a PKCS#11 library in this process (C_Initialize may run only once), shared by
 * reference count. Also owns what must be shared by every session on a token: its write lock, its cached
 * mechanism list and the count of keys generated since initialisation.
 */
public final class WrapperModule implements TokenModule {
  private static final Map<Path, WrapperModule> LOADED = new HashMap<>();

  private final Path library;
  private final String initArgs;
  private final PKCS11Module module;
  private final String description;
  private final Map<Long, TokenInfo> infoCache = new ConcurrentHashMap<>();
  /** The slot each initialised token was last seen in, by serial number: looked at first (see selectSlot). */
  private final Map<String, Slot> lastFound = new ConcurrentHashMap<>();
  private final Map<Long, ReentrantLock> writeLocks = new ConcurrentHashMap<>();
  private final AtomicInteger openSessions = new AtomicInteger();
  private final AtomicInteger keysGenerated = new AtomicInteger();
  private int references;

  private WrapperModule(Path library, String initArgs, PKCS11Module module, String description) {
    this.library = library;
    this.initArgs = initArgs;
    this.module = module;
    this.description = description;
  }

  public static TokenModule load(Path library, String initArgs) throws TokenException {
    if (!Files.isRegularFile(library)) {
      throw new ModuleLoadException("PKCS#11 library " + library + " does not exist"
          + (library.toString().contains("softhsm") ? " (install it: apt-get install softhsm2)" : ""), null, null);
    }
    Path key;
    try {
      key = library.toRealPath();
    } catch (IOException e) {
      throw new ModuleLoadException("cannot resolve PKCS#11 library path " + library, null, e);
    }
    synchronized (LOADED) {
      WrapperModule m = LOADED.get(key);
      if (m == null) {
        m = initialize(library, key, initArgs);
        LOADED.put(key, m);
      } else if (initArgs != null && !initArgs.equals(m.initArgs)) {
        throw new ModuleLoadException("PKCS#11 library " + library
            + " is already initialised in this process with other initialisation arguments", null, null);
      }
      m.references++;
      return m;
    }
  }

  private static WrapperModule initialize(Path library, Path realPath, String initArgs) throws TokenException {
    QuietLogger.install();
    PKCS11Module module;
    try {
      WrapperNative.prepare();
      module = PKCS11Module.getInstance(realPath.toString());
    } catch (IOException | UnsatisfiedLinkError e) {
      throw new ModuleLoadException("cannot load PKCS#11 library " + library + ": " + e.getMessage(), null, e);
    }
    cInitialize(module, library, initArgs);
    return new WrapperModule(library, initArgs, module, describe(module));
  }

  private static void cInitialize(PKCS11Module module, Path library, String initArgs) throws TokenException {
    try {
      if (initArgs == null) {
        module.initialize();
      } else {
        // The wrapper cannot pass pReserved; its native layer converts a String there to a C string.
        var args = new iaik.pkcs.pkcs11.wrapper.CK_C_INITIALIZE_ARGS();
        args.flags |= PKCS11Constants.CKF_OS_LOCKING_OK;
        args.pReserved = initArgs;
        module.getPKCS11Module().C_Initialize(args, true);
      }
    } catch (PKCS11Exception e) {
      throw new ModuleLoadException("C_Initialize of " + library + " failed: " + e.getErrorName()
          + hintFor(library), e.getErrorName(), e);
    } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception e) {
      String name = PKCS11Constants.ckrCodeToName(e.getErrorCode());
      throw new ModuleLoadException("C_Initialize of " + library + " failed: " + name + hintFor(library), name, e);
    }
  }

  private static String hintFor(Path library) {
    if (library.toString().contains("softhsm")) {
      return " (is SOFTHSM2_CONF set to a readable config whose token directory exists?)";
    }
    if (library.toString().contains("softokn")) {
      return " (does the NSS configdir exist? create it with certutil -N)";
    }
    return "";
  }

  private static String describe(PKCS11Module module) {
    try {
      ModuleInfo info = new ModuleInfo(module.getPKCS11Module().C_GetInfo());
      return (info.getManufacturerID().trim() + " " + info.getLibraryDescription().trim() + " "
          + info.getLibraryVersion()).trim();
    } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception | RuntimeException e) {
      return "";
    }
  }

  @Override
  public Path library() {
    return library;
  }

  @Override
  public String description() {
    return description;
  }

  String libraryDescription() {
    try {
      return new ModuleInfo(module.getPKCS11Module().C_GetInfo()).getLibraryDescription().trim();
    } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception | RuntimeException e) {
      return "";
    }
  }

  @Override
  public List<TokenInfo> tokens() throws TokenException {
    synchronized (LOADED) { // not during a re-initialisation (see sessionClosed)
      List<TokenInfo> result = new ArrayList<>();
      for (Slot slot : slots()) {
        result.add(seen(slot, info(slot.getToken())));
      }
      return result;
    }
  }

  private Slot[] slots() throws TokenException {
    try {
      return module.getSlotList(true);
    } catch (PKCS11Exception e) {
      throw new TokenException("cannot list the slots of " + library + ": " + e.getErrorName(), e.getErrorName(), e);
    }
  }

  /** Token info with the mechanism list, which is read once per slot and token serial. */
  TokenInfo info(Token token) throws TokenException {
    TokenInfo fresh = TokenInfos.read(token, List.of());
    TokenInfo cached = infoCache.get(token.getTokenID());
    if (cached == null || !cached.serial().equals(fresh.serial()) || !cached.label().equals(fresh.label())) {
      cached = TokenInfos.withMechanisms(fresh, TokenInfos.mechanisms(module, token));
      infoCache.put(token.getTokenID(), cached);
      return cached;
    }
    return TokenInfos.withMechanisms(fresh, cached.mechanisms());
  }

  @Override
  public TokenInfo select(Pkcs11Uri uri) throws TokenException {
    synchronized (LOADED) {
      return selectSlot(uri).info;
    }
  }

  private record Selected(Token token, TokenInfo info) {
  }

  /**
   * The one initialised token {@code uri} matches. Finding it means reading the token info of every slot, which on a
   * module with hundreds of tokens (a provisioning run, SoftHSM2's store) costs more than the work done with the
   * token. So a URI that names a serial number — unique within a module — is looked for first in the slot where that
   * token was last seen (by a listing or a selection); every slot is read only when it is not there any more.
   */
  private Selected selectSlot(Pkcs11Uri uri) throws TokenException {
    String key = uri.serial();
    Slot known = key == null ? null : lastFound.get(key);
    if (known != null) {
      try {
        Selected s = new Selected(known.getToken(), info(known.getToken()));
        if (uri.matches(s.info) && s.info.has(TokenInfo.Flag.TOKEN_INITIALIZED)) {
          return s;
        }
      } catch (TokenException | RuntimeException gone) {
        // the card was pulled or the slot went away: look at every slot
      }
      lastFound.remove(key);
    }
    return scan(uri);
  }

  /** Remembers where an initialised token is, for the next selection by its serial number. */
  private TokenInfo seen(Slot slot, TokenInfo info) {
    if (info.has(TokenInfo.Flag.TOKEN_INITIALIZED) && !info.serial().isBlank()) {
      lastFound.put(info.serial(), slot);
    }
    return info;
  }

  private Selected scan(Pkcs11Uri uri) throws TokenException {
    List<Selected> all = new ArrayList<>();
    for (Slot slot : slots()) {
      // matching needs the label, serial and flags; the mechanism list (dozens of calls a token) only the one chosen
      all.add(new Selected(slot.getToken(), seen(slot, TokenInfos.read(slot.getToken(), List.of()))));
    }
    List<Selected> matching = all.stream()
        .filter(s -> uri.matches(s.info))
        .filter(s -> uri.selectsToken() || s.info.has(TokenInfo.Flag.TOKEN_INITIALIZED))
        .toList();
    if (matching.size() == 1) {
      Token chosen = matching.get(0).token;
      return new Selected(chosen, info(chosen));
    }
    String present = all.isEmpty() ? "no tokens are present"
        : "present: " + all.stream().map(s -> s.info.describe()).collect(Collectors.joining(", "));
    if (matching.isEmpty()) {
      throw new TokenNotFoundException("no token matches " + uri + " in " + library + "; " + present);
    }
    throw new TokenNotFoundException(matching.size() + " tokens match " + uri
        + "; select one with token=<label> or serial=<serial>; " + present);
  }

  @Override
  public TokenSession open(Pkcs11Uri uri) throws TokenException {
    if (reinitFailure != null) {
      throw new ModuleLoadException(library + " could not be initialised again after its key-generation budget: "
          + reinitFailure.getMessage(), null, reinitFailure);
    }
    synchronized (LOADED) { // not while the last session's close initialises the library again
      Selected s = selectSlot(uri);
      Quirks quirks = Quirks.forToken(libraryDescription(), s.info.manufacturer(), s.info.model(), s.info.label());
      return new WrapperSession(this, s.token, s.info, quirks);
    }
  }

  @Override
  public TokenInfo initializeToken(String label, PinSource soPin, PinSource userPin) throws TokenException {
    if (label == null || label.isEmpty() || label.length() > 32) {
      throw new IllegalArgumentException("token label must be 1..32 characters");
    }
    Slot free = null;
    for (Slot slot : slots()) {
      if (!info(slot.getToken()).has(TokenInfo.Flag.TOKEN_INITIALIZED)) {
        free = slot;
        break;
      }
    }
    if (free == null) {
      throw new TokenNotFoundException("no uninitialised token in " + library + " to initialise");
    }
    TokenInfo before = info(free.getToken());
    char[] paddedLabel = String.format("%-32s", label).toCharArray();
    try (Pin so = soPin.read(before, PinPurpose.SECURITY_OFFICER)) {
      module.getPKCS11Module().C_InitToken(free.getSlotID(), so.chars(), paddedLabel, true);
    } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception e) {
      throw new TokenException("C_InitToken on slot " + free.getSlotID() + " failed: "
          + PKCS11Constants.ckrCodeToName(e.getErrorCode()), PKCS11Constants.ckrCodeToName(e.getErrorCode()), e);
    }
    infoCache.remove(free.getSlotID());
    TokenInfo initialised = info(free.getToken());
    try (TokenSession session = new WrapperSession(this, free.getToken(), initialised, Quirks.DEFAULT)) {
      if (userPin != null) { // without one the token is as a card from the factory: an SO PIN only
        session.loginSecurityOfficer(soPin);
        session.initUserPin(userPin);
        session.logout();
      }
    }
    return info(free.getToken());
  }

  ReentrantLock writeLock(long slotId) {
    return writeLocks.computeIfAbsent(slotId, id -> new ReentrantLock());
  }

  PKCS11Module wrapper() {
    return module;
  }

  void sessionOpened() {
    openSessions.incrementAndGet();
  }

  /**
   * A session closed. tpm2-pkcs11 leaks TPM handles with every key pair (tpm2-abrmd allows 100 per connection), so
   * once {@code keygenBudget} pairs were made and no session is left open, the library is finalised and initialised
   * again: the next session starts with a fresh budget. With sessions still open it cannot be, and key generation
   * stays refused until they close.
   */
  void sessionClosed(int keygenBudget) {
    synchronized (LOADED) {
      if (openSessions.decrementAndGet() == 0 && keygenBudget > 0 && keysGenerated.get() >= keygenBudget) {
        reinitialize();
      }
    }
  }

  private void reinitialize() {
    try {
      module.finalize(null);
    } catch (PKCS11Exception e) {
      // initialising again is what matters; a library that did not finalise says so there
    }
    try {
      cInitialize(module, library, initArgs);
      keysGenerated.set(0);
      infoCache.clear();
      lastFound.clear();
    } catch (TokenException e) {
      reinitFailure = e;
    }
  }

  /** Set when initialising the library again failed; every later open reports it. */
  private volatile TokenException reinitFailure;

  /** Counts a generated key pair; returns the count since the library was initialised. */
  int keyGenerated() {
    return keysGenerated.incrementAndGet();
  }

  int keysGenerated() {
    return keysGenerated.get();
  }

  @Override
  public void close() {
    synchronized (LOADED) {
      if (--references > 0) {
        return;
      }
      LOADED.values().remove(this);
      try {
        module.finalize(null);
      } catch (PKCS11Exception e) {
        // Finalising is best effort: the process is done with the library either way.
      }
    }
  }

  @Override
  public String toString() {
    return "PKCS#11 library " + library;
  }
}
