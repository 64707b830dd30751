package io.tokenroll.e2e.piv;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * A PIV card (NIST SP 800-73-4) behind Debian's vsmartcard vpcd virtual reader: it connects to the reader's port
 * and answers what pcscd sends — power, ATR, and APDUs. vicc, the virtual card vsmartcard ships, has no PIV type,
 * so this one is ours. First part of issue 13: the card application (SELECT with its application property
 * template), data objects (GET DATA: CHUID, discovery), the PIN (VERIFY, its retry counter and 63Cx, 6983 when
 * blocked), and long answers in 61xx pieces (GET RESPONSE). Key generation, management-key authentication, signing
 * and PUT DATA come next; until then such commands answer 6D00 (instruction not supported).
 *
 * <p>The vpcd protocol (vsmartcard's vpcd.c): every message is a two-byte big-endian length and that many bytes; a
 * one-byte message is a control — 0 power off, 1 power on, 2 reset, 4 "send your ATR" — and anything longer is a
 * command APDU, answered with the response APDU.
 */
public final class VirtualPivCard implements AutoCloseable {
  /** The PIV application's AID (SP 800-73-4 Part 1, 2.2); a SELECT may give any prefix of it from A0 00 00 03 08. */
  static final byte[] AID = HexFormat.of().parseHex("A000000308000010000100");
  /** Default PIN, as on cards from the factory and in the issue: 123456. */
  static final String DEFAULT_PIN = "123456";
  static final int PIN_TRIES = 3;

  private static final HexFormat HEX = HexFormat.of();

  private final Socket socket;
  private final Thread loop;
  private final Map<String, byte[]> objects = new HashMap<>();
  private byte[] pin = pad(DEFAULT_PIN);
  private int pinTries = PIN_TRIES;
  private boolean selected;
  private boolean pinVerified;
  private byte[] pending = new byte[0];
  private volatile boolean closed;

  private VirtualPivCard(Socket socket, byte[] guid) {
    this.socket = socket;
    objects.put("5FC102", chuid(guid));
    objects.put("7E", discovery());
    this.loop = new Thread(this::serve, "virtual-piv-card");
    loop.setDaemon(true);
  }

  /** Inserts the card: connects to the vpcd reader listening on {@code port} of this host (35963 is the first). */
  public static VirtualPivCard insert(int port, byte[] guid) throws IOException {
    VirtualPivCard card = new VirtualPivCard(new Socket("127.0.0.1", port), guid.clone());
    card.loop.start();
    return card;
  }

  /** The ATR: T=0 and T=1 offered, historical bytes "tokenroll", with its check byte. */
  static byte[] atr() {
    byte[] history = "tokenroll".getBytes(StandardCharsets.US_ASCII);
    byte[] atr = new byte[4 + history.length + 1];
    atr[0] = 0x3B;
    atr[1] = (byte) (0x80 | history.length); // TD1 follows; K historical bytes
    atr[2] = (byte) 0x80; // TD1: TD2 follows, T=0
    atr[3] = 0x01; // TD2: T=1
    System.arraycopy(history, 0, atr, 4, history.length);
    byte tck = 0;
    for (int i = 1; i < atr.length - 1; i++) {
      tck ^= atr[i];
    }
    atr[atr.length - 1] = tck;
    return atr;
  }

  /** Removes the card: the reader sees it go. */
  @Override
  public void close() throws IOException {
    closed = true;
    socket.close();
  }

  private void serve() {
    try (DataInputStream in = new DataInputStream(socket.getInputStream());
         DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
      while (!closed) {
        int length = in.readUnsignedShort();
        byte[] message = in.readNBytes(length);
        if (message.length != length) {
          return;
        }
        if (length == 1) {
          switch (message[0]) {
            case 0, 1, 2 -> reset();
            case 4 -> send(out, atr());
            default -> { } // an unknown control: nothing to answer
          }
          continue;
        }
        send(out, process(message));
      }
    } catch (IOException ended) {
      // the reader went away, or the card was removed
    }
  }

  private static void send(DataOutputStream out, byte[] message) throws IOException {
    out.writeShort(message.length);
    out.write(message);
    out.flush();
  }

  private synchronized void reset() {
    selected = false;
    pinVerified = false;
    pending = new byte[0];
  }

  /** One command APDU → its response APDU. */
  synchronized byte[] process(byte[] apdu) {
    if (apdu.length < 4) {
      return sw(0x6700);
    }
    int ins = apdu[1] & 0xFF;
    int p1 = apdu[2] & 0xFF;
    int p2 = apdu[3] & 0xFF;
    byte[] data = apdu.length > 5 ? Arrays.copyOfRange(apdu, 5, Math.min(apdu.length, 5 + (apdu[4] & 0xFF)))
        : new byte[0];
    if (ins == 0xC0) { // GET RESPONSE
      return answer(pending);
    }
    pending = new byte[0];
    if (ins == 0xA4) {
      return select(p1, data);
    }
    if (!selected) {
      return sw(0x6D00);
    }
    return switch (ins) {
      case 0xCB -> p1 == 0x3F && p2 == 0xFF ? getData(data) : sw(0x6A86);
      case 0x20 -> verify(p1, p2, data);
      default -> sw(0x6D00);
    };
  }

  private byte[] select(int p1, byte[] aid) {
    if (p1 != 0x04 || aid.length < 5 || aid.length > AID.length
        || !Arrays.equals(aid, Arrays.copyOf(AID, aid.length))) {
      return sw(0x6A82);
    }
    selected = true;
    pinVerified = false;
    byte[] pix = Arrays.copyOfRange(AID, 5, AID.length);
    byte[] apt = tlv(0x61, concat(tlv(0x4F, pix), tlv(0x79, tlv(0x4F, Arrays.copyOf(AID, 5))),
        tlv(0x50, "tokenroll virtual PIV".getBytes(StandardCharsets.US_ASCII)),
        tlv(0xAC, concat(tlv(0x80, new byte[] {0x03}), tlv(0x80, new byte[] {0x07}), tlv(0x80, new byte[] {0x11}),
            tlv(0x80, new byte[] {0x14}), tlv(0x06, new byte[] {0x00})))));
    return answer(apt);
  }

  private byte[] getData(byte[] data) {
    // 5C, the tag list: one tag, 1 to 3 bytes
    if (data.length < 3 || data[0] != 0x5C || (data[1] & 0xFF) != data.length - 2) {
      return sw(0x6A80);
    }
    byte[] object = objects.get(HEX.formatHex(data, 2, data.length).toUpperCase());
    return object == null ? sw(0x6A82) : answer(object);
  }

  private byte[] verify(int p1, int p2, byte[] data) {
    if (p2 != 0x80) { // only the PIV Card Application PIN
      return sw(0x6A88);
    }
    if (p1 == 0xFF) { // reset the security status
      pinVerified = false;
      return sw(0x9000);
    }
    if (pinTries == 0) {
      return sw(0x6983);
    }
    if (data.length == 0) { // the status: verified, or the tries left
      return pinVerified ? sw(0x9000) : sw(0x63C0 | pinTries);
    }
    if (data.length != 8) {
      return sw(0x6A80);
    }
    if (java.security.MessageDigest.isEqual(data, pin)) {
      pinTries = PIN_TRIES;
      pinVerified = true;
      return sw(0x9000);
    }
    pinTries--;
    pinVerified = false;
    return pinTries == 0 ? sw(0x6983) : sw(0x63C0 | pinTries);
  }

  /** Up to 256 bytes with 9000, or 256 with 61xx and the rest kept for GET RESPONSE. */
  private byte[] answer(byte[] body) {
    if (body.length <= 256) {
      return concat(body, sw(0x9000));
    }
    pending = Arrays.copyOfRange(body, 256, body.length);
    return concat(Arrays.copyOf(body, 256), sw(0x6100 | Math.min(pending.length, 0xFF)));
  }

  /** The CHUID: an all-nines FASC-N, the card's GUID, an expiry date, an empty signature and error detection code. */
  private static byte[] chuid(byte[] guid) {
    byte[] fascn = new byte[25];
    Arrays.fill(fascn, (byte) 0x99);
    return tlv(0x53, concat(tlv(0x30, fascn), tlv(0x34, guid), tlv(0x35, "20361231".getBytes(
        StandardCharsets.US_ASCII)), tlv(0x3E, new byte[0]), tlv(0xFE, new byte[0])));
  }

  /** The discovery object: the application's AID and a PIN usage policy of "PIV PIN only". */
  private static byte[] discovery() {
    return tlv(0x7E, concat(tlv(0x4F, AID), tlv(0x5F2F, new byte[] {0x40, 0x00})));
  }

  static byte[] pad(String pin) {
    byte[] padded = new byte[8];
    Arrays.fill(padded, (byte) 0xFF);
    byte[] digits = pin.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, padded, 0, digits.length);
    return padded;
  }

  static byte[] tlv(int tag, byte[] value) {
    byte[] t = tag > 0xFF ? new byte[] {(byte) (tag >> 8), (byte) tag} : new byte[] {(byte) tag};
    byte[] l = value.length < 0x80 ? new byte[] {(byte) value.length}
        : value.length <= 0xFF ? new byte[] {(byte) 0x81, (byte) value.length}
        : new byte[] {(byte) 0x82, (byte) (value.length >> 8), (byte) value.length};
    return concat(t, l, value);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  private static byte[] sw(int sw) {
    return new byte[] {(byte) (sw >> 8), (byte) sw};
  }
}
