package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.ProtocolException;
import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.journal.PrivateFiles;
import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.agent.mimcm.MimCmClient;
import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.pin.Pin;
import io.tokenroll.pkcs11.pin.PinSource;
import io.tokenroll.protocol.mimcm.UserPinOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The user PIN a template's server proposes (UserPinOption ServerDistributed or Randomized): fetched, handed to
 * the user where they asked (the terminal, or a 0600 file — never a log or the journal), then set on the token
 * once, with C_SetPIN from the card's current PIN, or C_InitPIN as security officer on a card whose user PIN was
 * never set. The PIN leaves the user's hands before it reaches the token, so a crash cannot leave a card with a
 * PIN nobody knows; a crash during the change is settled by one login with the old PIN, never by guessing.
 */
final class ServerPins {
  /** The journaled PIN source of a card whose PIN the server keeps: fetched again when a later run needs it. */
  static final String FROM_SERVER = "server-proposed";
  static final String SHOW = "show";

  private final StateWriter states;
  private final MimCmClient cm;
  private final TokenAccess token;

  ServerPins(StateWriter states, MimCmClient cm, TokenAccess token) {
    this.states = states;
    this.cm = cm;
    this.token = token;
  }

  /** Whether this enrollment still has to set the server's PIN. */
  static boolean pending(Enrollment e) {
    return e.userPinOption != null && e.userPinOption.serverProposed() && !e.pinChanged
        && e.workflow == Workflow.ENROLL;
  }

  /**
   * Refuses, before anything is requested, a server PIN the user would have no way to learn: only
   * ServerDistributed promises that the server keeps it (Randomized keeps nothing; CustomServerDistributed hands it
   * to a process of the customer's that tokenroll cannot know).
   */
  static void checkOutput(Enrollment e) throws EnrollmentException {
    if (e.userPinOption != null && e.userPinOption.serverProposed()
        && e.userPinOption != UserPinOption.SERVER_DISTRIBUTED && e.serverPinOutput == null) {
      throw new EnrollmentException("template '" + e.template + "' has the server choose a user PIN that it does "
          + "not keep for you (UserPinOption " + e.userPinOption + "): give --server-pin show (the terminal) or "
          + "--server-pin file:<path> so you can learn it");
    }
  }

  /** Fetches the PIN, hands it to the user, sets it on the token. */
  Step change(Enrollment e) throws IOException, ServerException, TokenException {
    char[] pin = fetch(cm, e);
    try {
      deliver(e, pin);
      TokenSession anonymous = token.anonymousSession();
      boolean fresh = !anonymous.refreshInfo().has(TokenInfo.Flag.USER_PIN_INITIALIZED);
      // log in with the current PIN first: a wrong one stops here, with nothing changed and nothing uncertain
      TokenSession user = fresh ? null : token.session();
      try (TokenLock lock = token.lock()) {
        e.pinSetAsOfficer = fresh;
        states.persist(e, EnrollmentState.CHANGING_PIN);
        PinSource replacement = (info, purpose) -> Pin.of(pin.clone());
        try {
          if (fresh) {
            initialize(e, anonymous, replacement);
          } else {
            user.changeUserPin(PinSource.parse(e.pinSource), replacement);
          }
        } catch (PinIncorrectException refused) {
          states.persist(e, EnrollmentState.NEED_PIN_CHANGE); // the token refused the current PIN: no change
          throw refused;
        }
        CrashPoints.effectDone(EnrollmentState.CHANGING_PIN);
      }
      changed(e);
      return Step.now(e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /**
   * After a crash during the change, one login settles whether it happened: with the new PIN where it is known
   * (the user's file, or the server that keeps it), else with the old one; a card set up as security officer
   * tells by its flags alone.
   */
  Step settle(Enrollment e) throws IOException, TokenException {
    boolean initialized = token.anonymousSession().refreshInfo().has(TokenInfo.Flag.USER_PIN_INITIALIZED);
    if (e.pinSetAsOfficer) {
      if (initialized) {
        changedBeforeInterruption(e);
      } else {
        states.persist(e, EnrollmentState.NEED_PIN_CHANGE);
      }
      return Step.now(e);
    }
    String newPin = newPinSource(e);
    String oldPin = e.pinSource;
    e.pinSource = newPin != null ? newPin : oldPin;
    boolean accepted;
    try {
      token.session();
      accepted = true;
    } catch (PinIncorrectException refused) {
      accepted = false;
    }
    if (accepted == (newPin != null)) {
      changedBeforeInterruption(e);
    } else {
      e.pinSource = oldPin;
      states.persist(e, EnrollmentState.NEED_PIN_CHANGE);
    }
    return Step.now(e);
  }

  private void changedBeforeInterruption(Enrollment e) throws IOException {
    states.note("enrollment " + e.id + ": the server's PIN was set on the card before the interruption");
    changed(e);
  }

  /** Where the new PIN can be read without asking anyone: the user's file, or the server that keeps it. */
  private static String newPinSource(Enrollment e) {
    if (e.serverPinOutput != null && e.serverPinOutput.startsWith("file:")) {
      return e.serverPinOutput;
    }
    return e.userPinOption == UserPinOption.SERVER_DISTRIBUTED ? FROM_SERVER : null;
  }

  private void initialize(Enrollment e, TokenSession anonymous, PinSource replacement) throws TokenException {
    if (e.soPinSource == null) {
      throw new TokenException("the card's user PIN was never set: give --so-pin-source so tokenroll can set the "
          + "server's PIN as security officer (C_InitPIN)");
    }
    anonymous.loginSecurityOfficer(PinSource.parse(e.soPinSource));
    try {
      anonymous.initUserPin(replacement);
    } finally {
      anonymous.logout();
    }
  }

  /** Records the change, and where later runs find the PIN: the file it went to, the server, or the user. */
  private void changed(Enrollment e) throws IOException {
    e.pinChanged = true;
    boolean toFile = e.serverPinOutput != null && e.serverPinOutput.startsWith("file:");
    String known = newPinSource(e);
    e.pinSource = known != null ? known : "prompt";
    states.persist(e, EnrollmentState.CARD_BOUND);
    states.note("the card's user PIN is now the one the server proposed" + (toFile
        ? " (in " + e.serverPinOutput.substring(5) + ")"
        : SHOW.equals(e.serverPinOutput) ? " (shown above)"
        : "; the server keeps it — ask your certificate administrator, or enroll with --server-pin"));
  }

  /**
   * Where a later run finds the PIN of a card whose PIN the server keeps ({@link #FROM_SERVER}): asked of the
   * server again at each login.
   */
  static PinSource keptBy(MimCmClient cm, Enrollment e) {
    return (info, purpose) -> {
      try {
        return Pin.of(fetch(cm, e));
      } catch (ServerException ex) {
        throw new TokenException("cannot fetch the card's PIN from the server: " + ex.getMessage());
      }
    };
  }

  private static char[] fetch(MimCmClient cm, Enrollment e) throws ServerException {
    String pin = cm.serverProposedPin(e.requestId, e.smartcardUuid, e.cardId);
    if (pin == null || pin.isEmpty() || pin.length() > 64) {
      throw new ProtocolException("the server proposes no usable user PIN, though template '" + e.template
          + "' says it does (UserPinOption " + e.userPinOption + ")");
    }
    return pin.toCharArray();
  }

  /** Hands the PIN to the user: the terminal, or a new 0600 file written whole or not at all. */
  private static void deliver(Enrollment e, char[] pin) throws IOException {
    if (e.serverPinOutput == null) {
      return;
    }
    if (SHOW.equals(e.serverPinOutput)) {
      java.io.Console console = System.console();
      if (console == null) {
        throw new IOException("--server-pin show needs a terminal; use --server-pin file:<path>");
      }
      console.writer().print("The user PIN of this card, chosen by the server: ");
      console.writer().print(pin);
      console.writer().println();
      console.writer().flush();
      return;
    }
    Path target = Path.of(e.serverPinOutput.substring("file:".length())).toAbsolutePath();
    // a random temporary name beside it: the user's directory may be shared; the rename replaces a link itself
    Path tmp = target.getParent().resolve(".tokenroll-pin-" + Long.toHexString(new java.security.SecureRandom()
        .nextLong()));
    java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(pin));
    byte[] line = new byte[encoded.remaining() + 1];
    encoded.get(line, 0, line.length - 1);
    line[line.length - 1] = '\n';
    try {
      PrivateFiles.replace(target, tmp, line); // on disk before the card changes: a power cut cannot lose it
    } finally {
      Arrays.fill(line, (byte) 0);
      if (encoded.hasArray()) {
        Arrays.fill(encoded.array(), (byte) 0);
      }
    }
  }
}
