package io.tokenroll.virtualpiv;

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
 * template), data objects (GET DATA: CHUID, discovery; PUT DATA), the PIN (VERIFY, its retry counter and 63Cx,
 * 6983 when blocked), the card management key (GENERAL AUTHENTICATE, 3DES by default, AES), key generation in
 * the slots (RSA-2048, P-256, P-384), signatures with a slot's key, extended lengths, command chaining, and long
 * answers in 61xx pieces (GET RESPONSE), the PUK (CHANGE REFERENCE DATA, RESET RETRY COUNTER); its state kept in
 * a directory between insertions; ECDH with an EC key (tag 85). The key-history slots come next.
 *
 * <p>The vpcd protocol (vsmartcard's vpcd.c): every message is a two-byte big-endian length and that many bytes; a
 * one-byte message is a control — 0 power off, 1 power on, 2 reset, 4 "send your ATR" — and anything longer is a
 * command APDU, answered with the response APDU.
 */
public final class VirtualPivCard implements AutoCloseable {
  /** The PIV application's AID (SP 800-73-4 Part 1, 2.2); a SELECT may give any prefix of it from A0 00 00 03 08. */
  static final byte[] AID = HexFormat.of().parseHex("A000000308000010000100");
  /**
   * A second application, the OpenPGP card's AID (RID D276000124, ISO/IEC 7816-5), which another program may select
   * on a card that has both: PIV commands then answer 6D00 until PIV is selected again.
   */
  static final byte[] OTHER_APPLICATION = HexFormat.of().parseHex("D27600012401");
  /** Default PIN, as on cards from the factory and in the issue: 123456. */
  static final String DEFAULT_PIN = "123456";
  /** Default PUK: 12345678. */
  static final String DEFAULT_PUK = "12345678";
  static final int PIN_TRIES = 3;

  private static final HexFormat HEX = HexFormat.of();
  private static final boolean TRACE = System.getenv("VIRTUAL_PIV_TRACE") != null;

  private final Socket socket;
  private final Thread loop;
  private final Map<String, byte[]> objects = new HashMap<>();
  private byte[] pin = pad(DEFAULT_PIN);
  private int pinTries = PIN_TRIES;
  private byte[] puk = pad(DEFAULT_PUK);
  private int pukTries = PIN_TRIES;
  /** Where the card keeps itself between insertions (null: in memory only). */
  private final java.nio.file.Path state;
  private boolean selected;
  private boolean pinVerified;
  private byte[] pending = new byte[0];
  /** The Le of the command being answered: the most its answer may carry (256 when it names none). */
  private int le = 256;
  /** Command chaining (CLA 0x10): the data of the commands so far. */
  private byte[] chained = new byte[0];
  private volatile boolean closed;
  /** The card management key (9B) and its algorithm: 3DES by default (03), or AES-128/192/256 (08, 0A, 0C). */
  private byte[] managementKey = HexFormat.of().parseHex("010203040506070801020304050607080102030405060708");
  private int managementAlgorithm = 0x03;
  private boolean adminAuthenticated;
  /** The witness or challenge of a management-key authentication in progress. */
  private byte[] witness;
  private byte[] challenge;
  private final Map<Integer, java.security.KeyPair> keys = new HashMap<>();
  private final java.security.SecureRandom random = new java.security.SecureRandom();

  private VirtualPivCard(Socket socket, byte[] guid, java.nio.file.Path state) {
    this.socket = socket;
    try {
      socket.setTcpNoDelay(true);
    } catch (java.net.SocketException e) {
      throw new java.io.UncheckedIOException(e);
    }
    this.state = state;
    objects.put("5FC102", chuid(guid));
    objects.put("7E", discovery());
    this.loop = new Thread(this::serve, "virtual-piv-card");
    loop.setDaemon(true);
  }

  /** Inserts the card: connects to the vpcd reader listening on {@code port} of this host (35963 is the first). */
  public static VirtualPivCard insert(int port, byte[] guid) throws IOException {
    VirtualPivCard card = new VirtualPivCard(new Socket("127.0.0.1", port), guid.clone(), null);
    card.loop.start();
    return card;
  }

  /**
   * Inserts the card kept in {@code directory} ({@code card.properties}, 0600: PINs, keys and objects in the clear — a
   * test card), or a new one with a random GUID and the defaults when there is none yet.
   */
  public static VirtualPivCard insert(int port, java.nio.file.Path directory) throws IOException {
    if (!java.nio.file.Files.isDirectory(directory)) {
      java.nio.file.Files.createDirectories(directory, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    }
    java.nio.file.Path file = directory.resolve("card.properties");
    byte[] guid = new byte[16];
    new java.security.SecureRandom().nextBytes(guid);
    VirtualPivCard card = new VirtualPivCard(new Socket("127.0.0.1", port), guid, file);
    if (java.nio.file.Files.exists(file)) {
      card.load(file);
    } else {
      card.save();
    }
    card.loop.start();
    return card;
  }

  private void load(java.nio.file.Path file) throws IOException {
    java.util.Properties p = new java.util.Properties();
    try (var in = java.nio.file.Files.newInputStream(file)) {
      p.load(in);
    }
    pin = HEX.parseHex(p.getProperty("pin"));
    pinTries = Integer.parseInt(p.getProperty("pinTries"));
    puk = HEX.parseHex(p.getProperty("puk"));
    pukTries = Integer.parseInt(p.getProperty("pukTries"));
    managementKey = HEX.parseHex(p.getProperty("managementKey"));
    managementAlgorithm = Integer.parseInt(p.getProperty("managementAlgorithm"));
    objects.clear();
    keys.clear();
    try {
      for (String name : p.stringPropertyNames()) {
        if (name.startsWith("object.")) {
          objects.put(name.substring(7), HEX.parseHex(p.getProperty(name)));
        } else if (name.startsWith("key.") && name.endsWith(".algorithm")) {
          String slot = name.substring(4, name.length() - 10);
          java.security.KeyFactory f = java.security.KeyFactory.getInstance(p.getProperty(name));
          keys.put(Integer.parseInt(slot, 16), new java.security.KeyPair(
              f.generatePublic(new java.security.spec.X509EncodedKeySpec(HEX.parseHex(
                  p.getProperty("key." + slot + ".public")))),
              f.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(HEX.parseHex(
                  p.getProperty("key." + slot + ".private"))))));
        }
      }
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      throw new IOException("the card's state in " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** Writes the card's state whole (a new file renamed over the old), after every change. */
  private void save() {
    if (state == null) {
      return;
    }
    java.util.Properties p = new java.util.Properties();
    p.setProperty("pin", HEX.formatHex(pin));
    p.setProperty("pinTries", Integer.toString(pinTries));
    p.setProperty("puk", HEX.formatHex(puk));
    p.setProperty("pukTries", Integer.toString(pukTries));
    p.setProperty("managementKey", HEX.formatHex(managementKey));
    p.setProperty("managementAlgorithm", Integer.toString(managementAlgorithm));
    objects.forEach((tag, value) -> p.setProperty("object." + tag, HEX.formatHex(value)));
    keys.forEach((slot, pair) -> {
      String k = "key." + Integer.toHexString(slot);
      p.setProperty(k + ".algorithm", pair.getPublic().getAlgorithm());
      p.setProperty(k + ".public", HEX.formatHex(pair.getPublic().getEncoded()));
      p.setProperty(k + ".private", HEX.formatHex(pair.getPrivate().getEncoded()));
    });
    try {
      java.nio.file.Path tmp = state.resolveSibling("card.properties.tmp");
      try (var out = java.nio.file.Files.newOutputStream(tmp)) {
        p.store(out, "a virtual PIV card: PINs and keys in the clear, for tests only");
      }
      java.nio.file.Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString(
          "rw-------"));
      java.nio.file.Files.move(tmp, state, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the virtual card cannot keep its state in " + state, e);
    }
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

  /**
   * Runs the card until killed: {@code java -jar virtual-piv-card.jar [port] [state-directory]} (default 35963, the
   * first vpcd reader; without a directory the card lives in memory), for trying a PIV tool against it by hand or in
   * another project's CI.
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 35963;
    VirtualPivCard card;
    if (args.length > 1) {
      card = insert(port, java.nio.file.Files.createDirectories(java.nio.file.Path.of(args[1])));
    } else {
      byte[] guid = new byte[16];
      new java.security.SecureRandom().nextBytes(guid);
      card = insert(port, guid);
    }
    System.err.println("virtual PIV card in the vpcd reader on port " + port + (args.length > 1 ? ", kept in "
        + args[1] : ", in memory") + "; PIN " + DEFAULT_PIN + ", PUK " + DEFAULT_PUK + " unless changed");
    card.loop.join();
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
        quickAck();
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
        byte[] response = process(message);
        if (TRACE) { // VIRTUAL_PIV_TRACE=1: every command and answer on stderr, for a tool that says too little
          System.err.println("> " + HEX.formatHex(message) + "\n< " + HEX.formatHex(response));
        }
        send(out, response);
      }
    } catch (IOException ended) {
      // the reader went away, or the card was removed
    }
  }

  /**
   * Acknowledges the reader's next segment at once. vpcd sends a message's length and its bytes in two writes; with
   * Nagle's algorithm on its side and a delayed ACK on ours, every APDU waited about 45 ms twice. Linux turns quick
   * ACKs off again by itself, so this is asked before every read.
   */
  private void quickAck() {
    try {
      socket.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, true);
    } catch (IOException | UnsupportedOperationException e) {
      // not Linux: slower, not wrong
    }
  }

  /** One message in one write: in pieces, Nagle's algorithm and the reader's delayed ACKs cost 40–90 ms an APDU. */
  private static void send(DataOutputStream out, byte[] message) throws IOException {
    byte[] framed = new byte[2 + message.length];
    framed[0] = (byte) (message.length >> 8);
    framed[1] = (byte) message.length;
    System.arraycopy(message, 0, framed, 2, message.length);
    out.write(framed);
    out.flush();
  }

  private synchronized void reset() {
    selected = false;
    pinVerified = false;
    adminAuthenticated = false;
    witness = null;
    challenge = null;
    pending = new byte[0];
    chained = new byte[0];
  }

  /** One command APDU → its response APDU; short and extended lengths, and command chaining. */
  synchronized byte[] process(byte[] apdu) {
    if (apdu.length < 4) {
      return sw(0x6700);
    }
    int cla = apdu[0] & 0xFF;
    int ins = apdu[1] & 0xFF;
    int p1 = apdu[2] & 0xFF;
    int p2 = apdu[3] & 0xFF;
    byte[] data;
    le = 256;
    if (apdu.length <= 5) {
      data = new byte[0];
      if (apdu.length == 5) { // case 2: Le only
        le = apdu[4] == 0 ? 256 : apdu[4] & 0xFF;
      }
    } else if (apdu[4] == 0 && apdu.length >= 7) { // extended: 00 Lc1 Lc2 (or 00 Le1 Le2 alone)
      int n = ((apdu[5] & 0xFF) << 8) | (apdu[6] & 0xFF);
      if (apdu.length == 7) {
        data = new byte[0];
        le = n == 0 ? 65536 : n;
      } else {
        data = Arrays.copyOfRange(apdu, 7, Math.min(apdu.length, 7 + n));
        if (apdu.length == 7 + n + 2) {
          int l = ((apdu[7 + n] & 0xFF) << 8) | (apdu[8 + n] & 0xFF);
          le = l == 0 ? 65536 : l;
        }
      }
    } else {
      int lc = apdu[4] & 0xFF;
      data = Arrays.copyOfRange(apdu, 5, Math.min(apdu.length, 5 + lc));
      if (apdu.length == 5 + lc + 1) {
        le = apdu[5 + lc] == 0 ? 256 : apdu[5 + lc] & 0xFF;
      }
    }
    if (ins == 0xC0) { // GET RESPONSE
      return answer(pending);
    }
    pending = new byte[0];
    if ((cla & 0x10) != 0) { // more of this command follows
      chained = concat(chained, data);
      return sw(0x9000);
    }
    data = concat(chained, data);
    chained = new byte[0];
    if (ins == 0xA4) {
      return select(p1, data);
    }
    if (!selected) {
      return sw(0x6D00);
    }
    try {
      return switch (ins) {
        case 0xCB -> p1 == 0x3F && p2 == 0xFF ? getData(data) : sw(0x6A86);
        case 0x20 -> verify(p1, p2, data);
        case 0x24 -> changeReference(p2, data);
        case 0x2C -> resetRetryCounter(p2, data);
        case 0x87 -> p2 == 0x9B ? authenticate(p1, data) : privateKeyOperation(p1, p2, data);
        case 0x47 -> generate(p2, data);
        case 0xDB -> p1 == 0x3F && p2 == 0xFF ? putData(data) : sw(0x6A86);
        case 0xFF -> p1 == 0xFF && (p2 == 0xFF || p2 == 0xFE) ? setManagementKey(data) : sw(0x6A86);
        default -> sw(0x6D00);
      };
    } catch (java.security.GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
      return sw(0x6A80); // data the card cannot use
    } catch (java.io.UncheckedIOException e) {
      return sw(0x6581); // its memory (the state directory) failed
    }
  }

  private byte[] select(int p1, byte[] aid) {
    if (p1 == 0x04 && Arrays.equals(aid, OTHER_APPLICATION)) { // as a YubiKey's OpenPGP: PIV is left, and forgets
      selected = false;
      pinVerified = false;
      adminAuthenticated = false;
      return sw(0x9000);
    }
    if (p1 != 0x04 || aid.length < 5 || aid.length > AID.length
        || !Arrays.equals(aid, Arrays.copyOf(AID, aid.length))) {
      return sw(0x6A82);
    }
    selected = true;
    pinVerified = false; // selecting the application resets its security status (SP 800-73-4 Part 2, 3.1.1)
    adminAuthenticated = false;
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
      save();
      return sw(0x9000);
    }
    pinTries--;
    pinVerified = false;
    save();
    return pinTries == 0 ? sw(0x6983) : sw(0x63C0 | pinTries);
  }

  /** CHANGE REFERENCE DATA: the PIN (80) or the PUK (81), the old value first; a wrong one counts as a try. */
  private byte[] changeReference(int p2, byte[] data) {
    if (p2 != 0x80 && p2 != 0x81) {
      return sw(0x6A88);
    }
    if (data.length != 16) {
      return sw(0x6A80);
    }
    boolean isPin = p2 == 0x80;
    if ((isPin ? pinTries : pukTries) == 0) {
      return sw(0x6983);
    }
    byte[] old = Arrays.copyOf(data, 8);
    if (!java.security.MessageDigest.isEqual(old, isPin ? pin : puk)) {
      int left = isPin ? --pinTries : --pukTries;
      save();
      return left == 0 ? sw(0x6983) : sw(0x63C0 | left);
    }
    if (isPin) {
      pin = Arrays.copyOfRange(data, 8, 16);
      pinTries = PIN_TRIES;
    } else {
      puk = Arrays.copyOfRange(data, 8, 16);
      pukTries = PIN_TRIES;
    }
    save();
    return sw(0x9000);
  }

  /** RESET RETRY COUNTER: the PUK and a new PIN in one command; the PIN is unblocked, a wrong PUK counts. */
  private byte[] resetRetryCounter(int p2, byte[] data) {
    if (p2 != 0x80) {
      return sw(0x6A88);
    }
    if (data.length != 16) {
      return sw(0x6A80);
    }
    if (pukTries == 0) {
      return sw(0x6983);
    }
    if (!java.security.MessageDigest.isEqual(Arrays.copyOf(data, 8), puk)) {
      pukTries--;
      save();
      return pukTries == 0 ? sw(0x6983) : sw(0x63C0 | pukTries);
    }
    pukTries = PIN_TRIES;
    pin = Arrays.copyOfRange(data, 8, 16);
    pinTries = PIN_TRIES;
    save();
    return sw(0x9000);
  }

  /** The management key's cipher, ECB without padding: a block in, a block out. */
  private byte[] crypt(int mode, byte[] block) throws java.security.GeneralSecurityException {
    boolean des = managementAlgorithm == 0x03;
    javax.crypto.Cipher c = javax.crypto.Cipher.getInstance(des ? "DESede/ECB/NoPadding" : "AES/ECB/NoPadding");
    c.init(mode, new javax.crypto.spec.SecretKeySpec(managementKey, des ? "DESede" : "AES"));
    return c.doFinal(block);
  }

  /**
   * GENERAL AUTHENTICATE with the card management key (SP 800-73-4 Part 2, Appendix A): mutual (the card's witness
   * encrypted, the host's decryption and challenge back, the challenge encrypted by the card) or external (the
   * card's challenge, the host's encryption of it).
   */
  private byte[] authenticate(int algorithm, byte[] data) throws java.security.GeneralSecurityException {
    if (algorithm != managementAlgorithm) {
      return sw(0x6A86);
    }
    Map<Integer, byte[]> t = dynamicTemplate(data);
    int block = managementAlgorithm == 0x03 ? 8 : 16;
    if (t.containsKey(0x80) && t.get(0x80).length == 0) { // a witness, please
      witness = new byte[block];
      random.nextBytes(witness);
      adminAuthenticated = false;
      return answer(tlv(0x7C, tlv(0x80, crypt(javax.crypto.Cipher.ENCRYPT_MODE, witness))));
    }
    if (t.containsKey(0x80) && t.containsKey(0x81)) { // the witness decrypted, and the host's challenge
      boolean known = witness != null && java.security.MessageDigest.isEqual(witness, t.get(0x80));
      witness = null;
      if (!known) {
        return sw(0x6982);
      }
      adminAuthenticated = true;
      return answer(tlv(0x7C, tlv(0x82, crypt(javax.crypto.Cipher.ENCRYPT_MODE, t.get(0x81)))));
    }
    if (t.containsKey(0x81) && t.get(0x81).length == 0) { // a challenge, please
      challenge = new byte[block];
      random.nextBytes(challenge);
      adminAuthenticated = false;
      return answer(tlv(0x7C, tlv(0x81, challenge)));
    }
    if (t.containsKey(0x82) && challenge != null) { // the challenge encrypted by the host
      boolean right = java.security.MessageDigest.isEqual(crypt(javax.crypto.Cipher.ENCRYPT_MODE, challenge),
          t.get(0x82));
      challenge = null;
      adminAuthenticated = right;
      return right ? sw(0x9000) : sw(0x6982);
    }
    return sw(0x6A80);
  }

  /**
   * SET MANAGEMENT KEY, as YubiKeys take it (INS FF; SP 800-73-4 leaves changing the key to the issuer): algorithm,
   * then 9B with the new key, after authentication with the current one. The algorithm may change with the key.
   */
  private byte[] setManagementKey(byte[] data) {
    if (!adminAuthenticated) {
      return sw(0x6982);
    }
    if (data.length < 3 || (data[1] & 0xFF) != 0x9B) {
      return sw(0x6A80);
    }
    int algorithm = data[0] & 0xFF;
    int length = switch (algorithm) {
      case 0x03, 0x0A -> 24;
      case 0x08 -> 16;
      case 0x0C -> 32;
      default -> -1;
    };
    if (length < 0 || (data[2] & 0xFF) != length || data.length != 3 + length) {
      return sw(0x6A80);
    }
    managementKey = Arrays.copyOfRange(data, 3, data.length);
    managementAlgorithm = algorithm;
    save();
    return sw(0x9000);
  }

  /**
   * GENERATE ASYMMETRIC KEY PAIR in a slot (9A, 9C, 9D, 9E, the retired 82–95), overwriting what was there:
   * RSA-2048, P-256, P-384.
   */
  private byte[] generate(int slot, byte[] data) throws java.security.GeneralSecurityException {
    if (!adminAuthenticated) {
      return sw(0x6982);
    }
    if (slot != 0x9A && slot != 0x9C && slot != 0x9D && slot != 0x9E && (slot < 0x82 || slot > 0x95)) {
      return sw(0x6A86);
    }
    Map<Integer, byte[]> control = template(0xAC, data);
    byte[] alg = control.get(0x80);
    if (alg == null || alg.length != 1) {
      return sw(0x6A80);
    }
    java.security.KeyPairGenerator g;
    switch (alg[0]) {
      case 0x07 -> {
        g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, random);
      }
      case 0x11, 0x14 -> {
        g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec(alg[0] == 0x11 ? "secp256r1" : "secp384r1"), random);
      }
      default -> {
        return sw(0x6A80);
      }
    }
    java.security.KeyPair pair = g.generateKeyPair();
    keys.put(slot, pair);
    save();
    byte[] publicKey;
    if (pair.getPublic() instanceof java.security.interfaces.RSAPublicKey rsa) {
      publicKey = concat(tlv(0x81, unsigned(rsa.getModulus())), tlv(0x82, unsigned(rsa.getPublicExponent())));
    } else {
      java.security.interfaces.ECPublicKey ec = (java.security.interfaces.ECPublicKey) pair.getPublic();
      int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
      publicKey = tlv(0x86, concat(new byte[] {0x04}, fixed(ec.getW().getAffineX(), size),
          fixed(ec.getW().getAffineY(), size)));
    }
    return answer(tlv(0x7F49, publicKey));
  }

  /**
   * GENERAL AUTHENTICATE with a slot's private key: a signature (ECDSA over the hash given; RSA's raw private
   * operation over the block the host padded, which is also RSA decryption) or key agreement (ECDH, tag 85). The
   * PIN must have been verified; 9E, card authentication, needs none; 9C, digital signature, needs it each time.
   */
  private byte[] privateKeyOperation(int algorithm, int slot, byte[] data) throws java.security.GeneralSecurityException {
    java.security.KeyPair pair = keys.get(slot);
    if (pair == null) {
      return sw(0x6A88);
    }
    if (slot != 0x9E && !pinVerified) {
      return sw(0x6982);
    }
    if (slot == 0x9C) {
      pinVerified = false; // Digital Signature: PIN Always, one verification per use
    }
    Map<Integer, byte[]> t = dynamicTemplate(data);
    if (t.containsKey(0x85) && t.containsKey(0x82)
        && pair.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec) { // ECDH with the peer's point
      return answer(tlv(0x7C, tlv(0x82, agree(ec, t.get(0x85)))));
    }
    byte[] input = t.get(0x81);
    if (input == null || !t.containsKey(0x82)) {
      return sw(0x6A80);
    }
    byte[] output;
    if (pair.getPrivate() instanceof java.security.interfaces.RSAPrivateKey) {
      javax.crypto.Cipher rsa = javax.crypto.Cipher.getInstance("RSA/ECB/NoPadding");
      rsa.init(javax.crypto.Cipher.DECRYPT_MODE, pair.getPrivate());
      output = rsa.doFinal(input);
    } else {
      java.security.Signature ecdsa = java.security.Signature.getInstance("NONEwithECDSA");
      ecdsa.initSign(pair.getPrivate(), random);
      ecdsa.update(input);
      output = ecdsa.sign();
    }
    return answer(tlv(0x7C, tlv(0x82, output)));
  }

  /** Key agreement (SP 800-73-4: the shared secret Z, the x-coordinate) with an uncompressed peer point. */
  private static byte[] agree(java.security.interfaces.ECPrivateKey key, byte[] point)
      throws java.security.GeneralSecurityException {
    int size = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
    if (point.length != 1 + 2 * size || point[0] != 0x04) {
      throw new IllegalArgumentException("not an uncompressed point of the key's curve");
    }
    java.security.spec.ECPoint w = new java.security.spec.ECPoint(
        new java.math.BigInteger(1, Arrays.copyOfRange(point, 1, 1 + size)),
        new java.math.BigInteger(1, Arrays.copyOfRange(point, 1 + size, point.length)));
    java.security.PublicKey peer = java.security.KeyFactory.getInstance("EC").generatePublic(
        new java.security.spec.ECPublicKeySpec(w, key.getParams()));
    javax.crypto.KeyAgreement ka = javax.crypto.KeyAgreement.getInstance("ECDH");
    ka.init(key);
    ka.doPhase(peer, true);
    return ka.generateSecret();
  }

  /** PUT DATA: an object written whole (5C its tag, 53 its content) after the management key; 53 00 deletes it. */
  private byte[] putData(byte[] data) {
    if (!adminAuthenticated) {
      return sw(0x6982);
    }
    if (data.length < 3 || data[0] != 0x5C) {
      return sw(0x6A80);
    }
    int tagLength = data[1] & 0xFF;
    String tag = HEX.formatHex(data, 2, 2 + tagLength).toUpperCase();
    byte[] object = Arrays.copyOfRange(data, 2 + tagLength, data.length);
    if (object.length < 2 || object[0] != 0x53) {
      return sw(0x6A80);
    }
    if (object.length == 2 && object[1] == 0) { // 53 00: the object is deleted, and GET DATA finds nothing (YubiKey)
      objects.remove(tag);
    } else {
      objects.put(tag, object);
    }
    save();
    return sw(0x9000);
  }

  /** The inner TLVs of a dynamic authentication template (7C). */
  private static Map<Integer, byte[]> dynamicTemplate(byte[] data) {
    return template(0x7C, data);
  }

  /** The inner TLVs (one-byte tags) of the template {@code tag} that {@code data} holds. */
  private static Map<Integer, byte[]> template(int tag, byte[] data) {
    if (data.length < 2 || (data[0] & 0xFF) != tag) {
      throw new IllegalArgumentException("not a " + Integer.toHexString(tag) + " template");
    }
    int[] at = {1};
    int length = length(data, at);
    Map<Integer, byte[]> inner = new HashMap<>();
    int end = at[0] + length;
    while (at[0] < end) {
      int t = data[at[0]++] & 0xFF;
      int l = length(data, at);
      inner.put(t, Arrays.copyOfRange(data, at[0], at[0] + l));
      at[0] += l;
    }
    return inner;
  }

  private static int length(byte[] data, int[] at) {
    int first = data[at[0]++] & 0xFF;
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7F;
    int length = 0;
    for (int i = 0; i < n; i++) {
      length = (length << 8) | (data[at[0]++] & 0xFF);
    }
    return length;
  }

  private static byte[] unsigned(java.math.BigInteger value) {
    byte[] b = value.toByteArray();
    return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static byte[] fixed(java.math.BigInteger value, int size) {
    byte[] b = unsigned(value);
    byte[] out = new byte[size];
    System.arraycopy(b, 0, out, size - b.length, b.length);
    return out;
  }

  /** Up to 256 bytes with 9000, or 256 with 61xx and the rest kept for GET RESPONSE. */
  /**
   * An answer of at most Le bytes; the rest waits for GET RESPONSE, announced as 61xx with the bytes left (61 00: 256
   * or more). Sending more than Le, or more than 61xx announced, makes hosts drop bytes (OpenSC does).
   */
  private byte[] answer(byte[] body) {
    if (body.length <= le) {
      return concat(body, sw(0x9000));
    }
    pending = Arrays.copyOfRange(body, le, body.length);
    return concat(Arrays.copyOf(body, le), sw(0x6100 | (pending.length > 0xFF ? 0 : pending.length)));
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
