package io.tokenroll.agent.encoding;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SignatureCheckTest {
  /** CVE-2022-21449: the JDK's ECDSA is used only where it was fixed. */
  @Test
  void theJdksEcdsa_isTrustedFrom17_0_3_and18_0_1() {
    for (String bad : new String[] {"17", "17.0.1", "17.0.2+8", "18", "18+36"}) {
      assertFalse(SignatureCheck.jdkEcdsaSound(Runtime.Version.parse(bad)), bad);
    }
    for (String good : new String[] {"17.0.3", "17.0.15+6-Debian-1deb12u1", "18.0.1", "21.0.5", "25"}) {
      assertTrue(SignatureCheck.jdkEcdsaSound(Runtime.Version.parse(good)), good);
    }
  }
}
