package io.tokenroll.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class KeySpecTest {
  @Test
  void parse_acceptsTheSpellingsUsersAndMimWrite() {
    assertEquals(KeySpec.rsa(2048), KeySpec.parse("RSA-2048"));
    assertEquals(KeySpec.rsa(3072), KeySpec.parse("rsa:3072"));
    assertEquals(KeySpec.ec(Curve.P256), KeySpec.parse("EC-P256"));
    assertEquals(KeySpec.ec(Curve.P256), KeySpec.parse("ECDSA_P256"));
    assertEquals(KeySpec.ec(Curve.P384), KeySpec.parse("ec:secp384r1"));
    assertEquals(KeySpec.ec(Curve.P256), KeySpec.parse("EC-prime256v1"));
  }

  @Test
  void parse_rejectsWithTheAcceptedForms() {
    var e = assertThrows(IllegalArgumentException.class, () -> KeySpec.parse("DSA-1024"));
    assertTrue(e.getMessage().contains("RSA-2048"));
    assertThrows(IllegalArgumentException.class, () -> KeySpec.parse("RSA-abc"));
    assertThrows(IllegalArgumentException.class, () -> KeySpec.parse("EC-P999"));
    assertThrows(IllegalArgumentException.class, () -> KeySpec.rsa(512));
  }

  @Test
  void toString_parsesBack() {
    for (String s : new String[] {"RSA-2048", "RSA-4096", "EC-P256", "EC-P384", "EC-P521"}) {
      assertEquals(s, KeySpec.parse(s).toString());
    }
  }

  @Test
  void signatureAlgorithm_forMimHashNames() {
    assertEquals(SignatureAlgorithm.SHA1_RSA, SignatureAlgorithm.forKey(KeySpec.Type.RSA, "SHA1", false));
    assertEquals(SignatureAlgorithm.SHA256_RSA_PSS, SignatureAlgorithm.forKey(KeySpec.Type.RSA, "sha-256", true));
    assertEquals(SignatureAlgorithm.SHA384_ECDSA, SignatureAlgorithm.forKey(KeySpec.Type.EC, "SHA384", false));
    assertEquals(SignatureAlgorithm.SHA256_ECDSA, SignatureAlgorithm.forKey(KeySpec.Type.EC, null, false));
    assertThrows(IllegalArgumentException.class, () -> SignatureAlgorithm.forKey(KeySpec.Type.EC, "MD5", false));
    assertTrue(SignatureAlgorithm.SHA1_RSA.isWeak());
    assertEquals(SignatureAlgorithm.SHA384_ECDSA, SignatureAlgorithm.defaultFor(KeySpec.parse("EC-P384")));
  }
}
