package io.tokenroll.pkcs11.piv;

import io.tokenroll.pkcs11.TokenException;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/**
 * The PIV application on one card, over PC/SC: APDUs with command chaining for long data (CLA 0x10, 255 bytes a
 * piece — every PIV card takes it, not every reader takes extended lengths) and {@code 61xx} answers collected with
 * GET RESPONSE. The card is opened in shared mode; {@link #transaction} holds it exclusively only for the few
 * APDUs of one operation, never across a network call.
 */
final class PivChannel implements AutoCloseable {
  /** The PIV application's AID (SP 800-73-4 Part 1, 2.2), without its version: any version answers. */
  static final byte[] AID = HexFormat.of().parseHex("A000000308000010000100");
  /** The most a card may answer with in one operation (a certificate object is at most a few KB). */
  private static final int MAX_ANSWER = 64 * 1024;

  private final Card card;
  private final CardChannel channel;
  private final String reader;
  private final byte[] atr;
  /** Sessions of this process on the card: they share its connection, as PKCS#11 sessions share a login. */
  private int users = 1;
  /**
   * What this process knows of the card's state, shared by its sessions because the card keeps it per card, not
   * per connection: a second connection's SELECT would reset the PIN's verified state under the first.
   */
  volatile boolean pinVerified;
  volatile boolean administrator;
  volatile io.tokenroll.pkcs11.AdminAlgorithm adminAlgorithm;
  /** Where the login's PIN came from (never the PIN): the Digital Signature key wants it for every signature. */
  volatile io.tokenroll.pkcs11.pin.PinSource userPins;
  final java.util.Map<io.tokenroll.pkcs11.KeyId, java.security.PublicKey> publicKeys =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A card's answer: its data and status word. */
  record Answer(byte[] data, int sw) {
    boolean ok() {
      return sw == 0x9000;
    }
  }

  @FunctionalInterface
  interface Work<T> {
    T run() throws TokenException;
  }

  private PivChannel(Card card, String reader) {
    this.card = card;
    this.channel = card.getBasicChannel();
    this.reader = reader;
    this.atr = card.getATR().getBytes();
  }

  /** Connects to the card in {@code terminal} (shared) and selects its PIV application; null when it has none. */
  static PivChannel open(CardTerminal terminal) throws CardException {
    Card card = terminal.connect("*");
    PivChannel c = new PivChannel(card, terminal.getName());
    try {
      if (c.select()) {
        return c;
      }
    } catch (TokenException e) { // the card could not be reached: that is not "no PIV application"
      c.close();
      throw new CardException(e.getMessage(), e);
    } catch (RuntimeException e) {
      // an answer SELECT cannot make sense of: not a PIV card
    }
    c.close();
    return null;
  }

  synchronized PivChannel acquire() {
    users++;
    return this;
  }

  /** True when this was the last session: {@link #reset} is then the caller's, once it let go of its locks. */
  synchronized boolean release() {
    return --users == 0;
  }

  /**
   * The card's security state reset (SELECT again: the PIN no longer verified, the management key no longer
   * authenticated — nothing of ours stays open for other programs), and the connection closed.
   */
  void reset() {
    try {
      transaction(this::select);
    } catch (TokenException | RuntimeException gone) {
      // a card that went away keeps nothing
    }
    pinVerified = false;
    administrator = false;
    userPins = null;
    close();
  }

  String reader() {
    return reader;
  }

  byte[] atr() {
    return atr.clone();
  }

  boolean select() throws TokenException {
    return send(0x00, 0xA4, 0x04, 0x00, AID).ok();
  }

  /** Runs one operation's APDUs with the card held exclusively (SCardBeginTransaction … SCardEndTransaction). */
  synchronized <T> T transaction(Work<T> work) throws TokenException {
    try {
      card.beginExclusive();
    } catch (CardException e) {
      throw gone(e);
    }
    try {
      return work.run();
    } finally {
      try {
        card.endExclusive();
      } catch (CardException | IllegalStateException e) {
        // the card went away: the next operation says so
      }
    }
  }

  /** One command, chained when its data is long, with the whole answer. */
  synchronized Answer send(int cla, int ins, int p1, int p2, byte[] data) throws TokenException {
    try {
      int at = 0;
      ResponseAPDU r;
      do {
        int n = Math.min(255, data.length - at);
        boolean last = at + n >= data.length;
        // CommandAPDU copies the piece: javax.smartcardio keeps PIN blocks in arrays tokenroll cannot wipe
        CommandAPDU c = n == 0 ? new CommandAPDU(cla, ins, p1, p2, 256)
            : new CommandAPDU(last ? cla : cla | 0x10, ins, p1, p2, data, at, n, 256);
        r = channel.transmit(c);
        at += n;
        if (!last && r.getSW() != 0x9000) {
          return new Answer(new byte[0], r.getSW());
        }
      } while (at < data.length);
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      answer.writeBytes(r.getData());
      while (r.getSW1() == 0x61) { // more to collect, in pieces of at most 256 bytes: a bounded number of them
        if (answer.size() > MAX_ANSWER) {
          throw new TokenException("the card in " + reader + " answers with more than " + MAX_ANSWER + " bytes");
        }
        r = channel.transmit(new CommandAPDU(0x00, 0xC0, 0x00, 0x00, r.getSW2() == 0 ? 256 : r.getSW2()));
        if (r.getData().length == 0 && r.getSW1() == 0x61) {
          throw new TokenException("the card in " + reader + " announces more data and sends none");
        }
        answer.writeBytes(r.getData());
      }
      return new Answer(answer.toByteArray(), r.getSW());
    } catch (CardException | IllegalStateException e) {
      throw gone(e);
    }
  }

  Answer send(int ins, int p1, int p2, byte[] data) throws TokenException {
    return send(0x00, ins, p1, p2, data);
  }

  /** GET DATA of one data object (5FC1xx, {@link PivObjects}); the caller holds the transaction. */
  Answer getData(int tag) throws TokenException {
    return send(0xCB, 0x3F, 0xFF, PivObjects.tagList(tag));
  }

  private TokenException gone(Exception e) {
    return new TokenException("the card in " + reader + " cannot be reached (removed?): " + e.getMessage(),
        TokenException.Kind.ABSENT, null, e);
  }

  @Override
  public void close() {
    try {
      card.disconnect(false);
    } catch (CardException | IllegalStateException e) {
      // already gone
    }
  }
}
