package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.virtualpiv.VirtualPivCard;
import io.tokenroll.pkcs11.testing.Backends;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The virtual PIV card in the vpcd reader under a real pcscd, as other software sees it: OpenSC recognises a PIV
 * card, reads its CHUID, and its PIN answers with the tries left and blocks after three wrong ones.
 */
class VirtualPivCardE2eTest {
  private static final byte[] GUID = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

  private static String openscTool(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("opensc-tool", "-r", "Virtual PCD 00 00"));
    cmd.addAll(List.of(args));
    return Backends.run(cmd, Map.of(), 60);
  }

  /**
   * A P-256 key yubico-piv-tool generates in {@code slot} of the card in {@code reader} (its public key in
   * {@code dir/pub.pem}), and a throwaway CA's certificate for it in {@code dir/cert.pem}.
   */
  private static void certifiedKey(String reader, String slot, java.nio.file.Path dir, String subject) {
    Backends.run(List.of("yubico-piv-tool", "-r", reader, "-a", "generate", "-s", slot, "-A", "ECCP256", "-o",
        dir.resolve("pub.pem").toString()), Map.of(), 60);
    certify(dir, subject);
  }

  /**
   * A throwaway CA's certificate for the card's public key in {@code dir/pub.pem}, written to {@code dir/cert.pem}:
   * what an enrollment would bring back for a key the card generated.
   */
  private static void certify(java.nio.file.Path dir, String subject) {
    Backends.run(List.of("sh", "-c", "cd " + dir + " && openssl req -x509 -newkey ec -pkeyopt "
        + "ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj '/CN=test CA' -days 30 2>/dev/null"
        + " && openssl x509 -new -force_pubkey pub.pem -subj '/CN=" + subject + "' -CA ca.pem -CAkey ca.key"
        + " -days 30 -out cert.pem"), Map.of(), 60);
  }

  /** Until pcscd has powered the card and answers with its ATR (a second or so after it connects). */
  private static void awaitCard() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try {
        if (openscTool("-a").toUpperCase().contains("3B")) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // no card in the reader yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("pcscd never saw the virtual PIV card");
  }

  @Test
  void openscNamesItAPivCard_andReadsItsChuid() throws Exception {
    try (VirtualCard pcsc = VirtualCard.start(); VirtualPivCard card = VirtualPivCard.insert(35963, GUID)) {
      awaitCard();
      String name = openscTool("-n");
      assertTrue(name.contains("Personal Identity Verification Card"), "OpenSC's PIV driver took it: " + name);
      String chuid = openscTool("-s", "00A4040009A00000030800001000", "-s", "00CB3FFF055C035FC102");
      // opensc-tool prints 16 bytes a line in hex, then the same as text: the hex parts, joined
      String hex = chuid.lines().filter(l -> l.matches("^([0-9A-F]{2} )+.*"))
          .map(l -> l.substring(0, Math.min(48, l.length())).replace(" ", "")).reduce("", String::concat);
      assertTrue(hex.contains("3410" + "00112233445566778899AABBCCDDEEFF"), "the GUID in the CHUID: " + chuid);
    }
  }

  @Test
  void thePin_saysItsTriesLeft_andBlocksAfterThree() throws Exception {
    try (VirtualCard pcsc = VirtualCard.start(); VirtualPivCard card = VirtualPivCard.insert(35963, GUID)) {
      awaitCard();
      String select = "00A4040009A00000030800001000";
      String wrong = "0020008008" + "3939393939FFFFFF";
      String right = "0020008008" + HexFormat.of().formatHex(("123456\u00ff\u00ff").getBytes(
          java.nio.charset.StandardCharsets.ISO_8859_1));
      String out = openscTool("-s", select, "-s", wrong, "-s", "0020008000", "-s", right, "-s", "0020008000");
      assertTrue(out.contains("SW1=0x63, SW2=0xC2"), "two tries left after one wrong PIN: " + out);
      assertTrue(out.contains("SW1=0x90, SW2=0x00"), out);
      String blocked = openscTool("-s", select, "-s", wrong, "-s", wrong, "-s", wrong, "-s", right);
      assertTrue(blocked.contains("SW1=0x69, SW2=0x83"), "blocked after three: " + blocked);
    }
  }

  /**
   * The card as yubico-piv-tool and OpenSC use it: management-key authentication with the default 3DES key and a
   * P-256 key generated in 9A (yubico-piv-tool), a CA's certificate for it written to the slot, status listing it;
   * then OpenSC's PKCS#11 module lists the pair and signs, openssl verifies the signature with the certificate, and
   * pkcs15-tool lists the certificate.
   */
  @Test
  void yubicoPivToolGeneratesAndCertifies_andOpenscSignsWithTheKey() throws Exception {
    try (VirtualCard pcsc = VirtualCard.start(); VirtualPivCard card = VirtualPivCard.insert(35963, GUID)) {
      awaitCard();
      java.nio.file.Path dir = Backends.privateDirectory("tokenroll-piv-");
      String reader = "Virtual PCD 00 00";
      // a CA's certificate for the card's key, as an enrollment gets one (yubico-piv-tool's self-signing needs a
      // YubiKey's version answer)
      certifiedKey(reader, "9a", dir, "virtual piv");
      Backends.run(List.of("yubico-piv-tool", "-r", reader, "-a", "import-certificate", "-s", "9a", "-i",
          dir.resolve("cert.pem").toString()), Map.of(), 60);
      String status = Backends.run(List.of("yubico-piv-tool", "-r", reader, "-a", "status"), Map.of(), 60);
      assertTrue(status.contains("Slot 9a") && status.contains("virtual piv"), status);

      String module = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
      String objects = Backends.run(List.of("pkcs11-tool", "--module", module, "--login", "--pin", "123456", "-O"),
          Map.of(), 60);
      assertTrue(objects.contains("Certificate Object") && objects.contains("Private Key Object"), objects);
      java.nio.file.Files.writeString(dir.resolve("data"), "signed on a virtual PIV card");
      Backends.run(List.of("pkcs11-tool", "--module", module, "--login", "--pin", "123456", "--sign", "--id", "01",
          "-m", "ECDSA-SHA256", "--signature-format", "openssl", "-i", dir.resolve("data").toString(), "-o",
          dir.resolve("sig").toString()), Map.of(), 60);
      String verified = Backends.run(List.of("sh", "-c", "openssl x509 -in " + dir.resolve("cert.pem")
          + " -pubkey -noout > " + dir.resolve("key.pem") + " && openssl dgst -sha256 -verify " + dir.resolve("key.pem")
          + " -signature " + dir.resolve("sig") + " " + dir.resolve("data")), Map.of(), 60);
      assertTrue(verified.contains("Verified OK"), verified);
      String listed = Backends.run(List.of("pkcs15-tool", "--reader", reader, "--list-certificates"), Map.of(), 60);
      assertTrue(listed.contains("Certificate for PIV Authentication"), listed);
    }
  }

  /**
   * The card kept in a directory: a PIN blocked by three wrong tries is still blocked when the card comes back; the
   * PUK unblocks it with a new PIN (yubico-piv-tool's unblock-pin, RESET RETRY COUNTER), which then verifies; a
   * wrong PUK counts down its own tries.
   */
  @Test
  void aBlockedPin_staysBlockedAcrossInsertions_andThePukUnblocksIt() throws Exception {
    java.nio.file.Path state = Backends.privateDirectory("tokenroll-piv-state-");
    String reader = "Virtual PCD 00 00";
    try (VirtualCard pcsc = VirtualCard.start()) {
      try (VirtualPivCard card = VirtualPivCard.insert(35963, state)) {
        awaitCard();
        String wrong = "0020008008" + "3939393939FFFFFF";
        String out = openscTool("-s", "00A4040009A00000030800001000", "-s", wrong, "-s", wrong, "-s", wrong);
        assertTrue(out.contains("SW1=0x69, SW2=0x83"), out);
      }
      Thread.sleep(500); // pcscd sees it go
      try (VirtualPivCard again = VirtualPivCard.insert(35963, state)) {
        awaitCard();
        String status = openscTool("-s", "00A4040009A00000030800001000", "-s", "0020008000");
        assertTrue(status.contains("SW1=0x69, SW2=0x83"), "still blocked: " + status);
        String wrongPuk = Backends.run(List.of("sh", "-c", "yubico-piv-tool -r '" + reader + "' -a unblock-pin "
            + "-P 87654321 -N 654321 2>&1 || true"), Map.of(), 60);
        assertTrue(wrongPuk.toLowerCase().contains("wrong") || wrongPuk.contains("2 tries"), wrongPuk);
        String unblocked = Backends.run(List.of("yubico-piv-tool", "-r", reader, "-a", "unblock-pin", "-P",
            "12345678", "-N", "654321"), Map.of(), 60);
        assertTrue(unblocked.toLowerCase().contains("success"), unblocked);
        String verified = Backends.run(List.of("yubico-piv-tool", "-r", reader, "-a", "verify-pin", "-P",
            "654321"), Map.of(), 60);
        assertTrue(verified.contains("Successfully verified PIN"), verified);
      }
    }
  }

  /**
   * Key agreement with the key-management key (9D): OpenSC's PKCS#11 module derives the shared secret with a P-256
   * key the card generated (ECDH1-DERIVE), and openssl, with the peer's private key and the card's public key,
   * derives the same.
   */
  @Test
  void keyAgreementWith9D_givesTheSecretOpensslDerivesToo() throws Exception {
    try (VirtualCard pcsc = VirtualCard.start(); VirtualPivCard card = VirtualPivCard.insert(35963, GUID)) {
      awaitCard();
      java.nio.file.Path dir = Backends.privateDirectory("tokenroll-piv-ecdh-");
      String reader = "Virtual PCD 00 00";
      certifiedKey(reader, "9d", dir, "key management");
      Backends.run(List.of("sh", "-c", "cd " + dir + " && openssl genpkey -algorithm EC -pkeyopt "
          + "ec_paramgen_curve:P-256 -out peer.key && openssl pkey -in peer.key -pubout -outform DER -out peer.der"
          + " && openssl pkeyutl -derive -inkey peer.key -peerkey pub.pem -out expected"), Map.of(), 60);
      Backends.run(List.of("yubico-piv-tool", "-r", reader, "-a", "import-certificate", "-s", "9d", "-i",
          dir.resolve("cert.pem").toString()), Map.of(), 60);
      Backends.run(List.of("pkcs11-tool", "--module", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "--login",
          "--pin", "123456", "--derive", "-m", "ECDH1-DERIVE", "--id", "03", "-i", dir.resolve("peer.der")
          .toString(), "-o", dir.resolve("derived").toString()), Map.of(), 60);
      assertArrayEquals(java.nio.file.Files.readAllBytes(dir.resolve("expected")),
          java.nio.file.Files.readAllBytes(dir.resolve("derived")), "the same shared secret on both sides");
    }
  }
}
