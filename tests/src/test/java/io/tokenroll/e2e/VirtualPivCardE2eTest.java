package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.e2e.piv.VirtualPivCard;
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

  @Test
  void openscNamesItAPivCard_andReadsItsChuid() throws Exception {
    try (VirtualCard pcsc = VirtualCard.start(); VirtualPivCard card = VirtualPivCard.insert(35963, GUID)) {
      Thread.sleep(500); // pcscd notices the card
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
      Thread.sleep(500);
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
}
