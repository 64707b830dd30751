package io.tokenroll.pkcs11.piv;

import io.tokenroll.pkcs11.ModuleLoadException;
import io.tokenroll.pkcs11.PinStatus;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenNotFoundException;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import io.tokenroll.pkcs11.pin.PinSource;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.TerminalFactory;
import jnasmartcardio.Smartcardio;

/**
 * PIV cards in the PC/SC readers (pcscd, through jnasmartcardio): the token provider that is not a PKCS#11 library.
 * Each card with a PIV application is a token — label {@value #LABEL} as OpenSC names PIV cards, serial its CHUID
 * GUID in hex, slot description its reader — and is opened with a {@link PivSession}; the sessions on one card
 * share its connection. Selected as the module named {@code piv} ({@link TokenModule#load}). A card without a GUID
 * is not listed: nothing would know it again.
 */
public final class PivModule implements TokenModule {
  /** The module name that selects this provider instead of a library path. */
  public static final Path NAME = Path.of("piv");
  static final String LABEL = "PIV_II";
  static final String MODEL = "PIV";
  /** What a PIV card does, in PKCS#11's names (as OpenSC lists them): for the tokens listing and its readers. */
  static final List<io.tokenroll.pkcs11.MechanismSupport> MECHANISMS = List.of(
      new io.tokenroll.pkcs11.MechanismSupport("CKM_RSA_PKCS_KEY_PAIR_GEN", 0x0, 2048, 2048, 0),
      new io.tokenroll.pkcs11.MechanismSupport("CKM_RSA_PKCS", 0x1, 2048, 2048, 0),
      new io.tokenroll.pkcs11.MechanismSupport("CKM_EC_KEY_PAIR_GEN", 0x1040, 256, 384, 0),
      new io.tokenroll.pkcs11.MechanismSupport("CKM_ECDSA", 0x1041, 256, 384, 0),
      new io.tokenroll.pkcs11.MechanismSupport("CKM_ECDH1_DERIVE", 0x1050, 256, 384, 0));

  /**
   * One per process: the cards open in it are shared by every user of the provider, because a second connection's
   * SELECT would reset the PIN's verified state under the first (the agent lists tokens while an enrollment signs).
   */
  private static final PivModule SHARED = new PivModule();

  /** The cards open in this process, by reader: every session on a card shares its one connection. */
  private final java.util.Map<String, PivChannel> open = new java.util.HashMap<>();

  private PivModule() {
  }

  /** The provider (one per process; {@link #close} leaves it to the others). */
  public static PivModule open() throws TokenException {
    factory(); // fails here, with its reason, when PC/SC cannot be had at all
    return SHARED;
  }

  /**
   * A PC/SC context of its own for each look at the readers: a kept one answers from the reader states it saw last
   * (a card just inserted would wait for the next look), and dies with the pcscd it was made with.
   */
  private static TerminalFactory factory() throws TokenException {
    try {
      return TerminalFactory.getInstance("PC/SC", null, new Smartcardio());
    } catch (NoSuchAlgorithmException | RuntimeException | LinkageError e) {
      throw new ModuleLoadException("PC/SC is not available (libpcsclite.so.1 missing?): " + e.getMessage(), null,
          e);
    }
  }

  @Override
  public Path library() {
    return NAME;
  }

  @Override
  public String description() {
    return "PIV cards over PC/SC (pcscd)";
  }

  private List<CardTerminal> readers() throws TokenException {
    try {
      return factory().terminals().list(javax.smartcardio.CardTerminals.State.CARD_PRESENT);
    } catch (CardException | RuntimeException e) {
      String why = String.valueOf(e.getMessage());
      if (why.contains("NO_SERVICE") || why.contains("NO_READERS")) {
        return List.of(); // pcscd not running, or no reader: no card either
      }
      throw new TokenException("PC/SC cannot list its readers: " + why, null, e);
    }
  }

  @Override
  public List<TokenInfo> tokens() throws TokenException {
    return scan().tokens();
  }

  /** The PIV cards present, and why a card in a reader could not be read (said when none matches). */
  private record Scan(List<TokenInfo> tokens, List<String> problems) {
  }

  /**
   * Reads every card in a reader. A card this module has open is read through its open connection: a new one would
   * SELECT the application again, which resets the PIN's verified state under the open sessions.
   */
  private Scan scan() throws TokenException {
    List<TokenInfo> tokens = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<CardTerminal> readers = readers();
    for (int i = 0; i < readers.size(); i++) {
      String name = readers.get(i).getName();
      PivChannel shared;
      synchronized (open) {
        shared = open.get(name);
        if (shared != null) {
          shared.acquire(); // not closed under this read by its last session
        }
      }
      try {
        TokenInfo t;
        if (shared != null) {
          try {
            t = info(i, shared);
          } finally {
            released(shared);
          }
        } else {
          try (PivChannel c = PivChannel.open(readers.get(i))) {
            if (c == null) {
              problems.add(name + ": no PIV application on its card");
              continue;
            }
            t = info(i, c);
          }
        }
        if (t.serial().isEmpty()) { // nothing to know it by again: not a token tokenroll can journal or lock
          problems.add(name + ": a PIV card without a CHUID GUID (give it one, e.g. yubico-piv-tool -a set-chuid)");
        } else {
          tokens.add(t);
        }
      } catch (CardException | TokenException e) {
        problems.add(name + ": " + e.getMessage()); // gone, or held exclusively by another program
      }
    }
    return new Scan(tokens, problems);
  }

  /** The card as a token: its GUID from the CHUID, its PIN's state, its ATR. */
  private static TokenInfo info(int index, PivChannel c) throws TokenException {
    return c.transaction(() -> {
      PivChannel.Answer chuid = c.getData(PivObjects.CHUID);
      String guid = null;
      if (chuid.ok()) {
        try {
          guid = PivObjects.guid(chuid.data());
        } catch (IllegalArgumentException unreadable) {
          // a card without a readable CHUID has no serial here
        }
      }
      PinStatus pin = pinStatus(c.send(0x20, 0x00, 0x80, new byte[0]).sw());
      Set<TokenInfo.Flag> flags = EnumSet.of(TokenInfo.Flag.TOKEN_INITIALIZED, TokenInfo.Flag.USER_PIN_INITIALIZED,
          TokenInfo.Flag.LOGIN_REQUIRED, TokenInfo.Flag.RNG);
      return new TokenInfo(index, c.reader(), LABEL, guid == null ? "" : guid, "PIV", MODEL, flags, pin,
          PinStatus.OK, MECHANISMS, java.util.HexFormat.of().withUpperCase().formatHex(c.atr()));
    });
  }

  /** A PIN's state from the status word of VERIFY: 63Cx tells the tries left (x), 6983 a blocked PIN. */
  static PinStatus pinStatus(int sw) {
    if (sw == 0x6983) {
      return new PinStatus(true, false, true, false);
    }
    if ((sw & 0xFFF0) == 0x63C0) {
      int left = sw & 0x0F;
      return new PinStatus(left < 3, left == 1, left == 0, false);
    }
    return PinStatus.OK;
  }

  static TokenInfo withPinStatus(TokenInfo t, PinStatus pin) {
    return new TokenInfo(t.slotId(), t.slotDescription(), t.label(), t.serial(), t.manufacturer(), t.model(),
        t.flags(), pin, t.soPin(), t.mechanisms(), t.atr());
  }

  @Override
  public TokenInfo select(Pkcs11Uri uri) throws TokenException {
    Scan scan = scan();
    List<TokenInfo> present = scan.tokens();
    List<TokenInfo> matching = present.stream().filter(uri::matches).toList();
    if (matching.size() == 1) {
      return matching.get(0);
    }
    List<String> names = present.stream().map(t -> t.describe() + " in " + t.slotDescription()).toList();
    if (matching.isEmpty()) {
      throw new TokenNotFoundException("no token matches " + uri + " among the PIV cards in the PC/SC readers; "
          + (present.isEmpty() ? "no PIV card is present" : "present: " + names)
          + (scan.problems().isEmpty() ? "" : "; " + String.join("; ", scan.problems())));
    }
    throw new TokenNotFoundException(matching.size() + " PIV cards match " + uri + "; name one by its serial: "
        + names);
  }

  @Override
  public TokenSession open(Pkcs11Uri uri) throws TokenException {
    TokenInfo t = select(uri);
    synchronized (open) {
      PivChannel shared = open.get(t.slotDescription());
      if (shared != null) {
        return new PivSession(this, shared.acquire(), t);
      }
    }
    for (CardTerminal reader : readers()) {
      if (!reader.getName().equals(t.slotDescription())) {
        continue;
      }
      PivChannel c;
      try {
        c = PivChannel.open(reader);
      } catch (CardException e) {
        throw new TokenException("the PIV card in " + reader.getName() + " cannot be opened: " + e.getMessage(),
            TokenException.Kind.ABSENT, null, e);
      }
      if (c == null) {
        break;
      }
      try {
        TokenInfo now = info((int) t.slotId(), c);
        if (now.serial().equals(t.serial())) {
          synchronized (open) {
            PivChannel first = open.putIfAbsent(reader.getName(), c);
            if (first != null) { // another thread opened the card meanwhile: one connection a card
              c.close();
              return new PivSession(this, first.acquire(), now);
            }
          }
          return new PivSession(this, c, now);
        }
      } catch (TokenException | RuntimeException e) {
        c.close();
        throw e;
      }
      c.close();
    }
    throw new TokenNotFoundException(t.describe() + " left its reader " + t.slotDescription());
  }

  @Override
  public TokenInfo initializeToken(String label, PinSource soPin, PinSource userPin) throws TokenException {
    throw new TokenUnsupportedException("PIV cards are initialised by their issuer; tokenroll sets their PIN "
        + "(CHANGE REFERENCE DATA) and keys, not their application");
  }

  void released(PivChannel card) {
    boolean last;
    synchronized (open) {
      last = card.release();
      if (last) {
        open.values().remove(card);
      }
    }
    if (last) {
      card.reset(); // the card's APDUs outside the map's lock: other readers of the map do not wait for them
    }
  }

  /** Nothing to let go: the provider and its PC/SC context live as long as the process; sessions close cards. */
  @Override
  public void close() {
  }
}
