package io.tokenroll.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

class KeyIdTest {
  private static PublicKey key(String alg, int size) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
    g.initialize(size);
    return g.generateKeyPair().getPublic();
  }

  @Test
  void ski_isSha1OverTheSubjectPublicKeyBits_asBouncyCastleReadsThem() throws Exception {
    for (PublicKey k : new PublicKey[] {key("RSA", 2048), key("RSA", 4096), key("EC", 256), key("EC", 384),
        key("EC", 521)}) {
      byte[] bits = SubjectPublicKeyInfo.getInstance(k.getEncoded()).getPublicKeyData().getBytes();
      assertArrayEquals(bits, KeyId.keyBits(k.getEncoded()), k.getAlgorithm());
      assertEquals(KeyId.of(MessageDigest.getInstance("SHA-1").digest(bits)), KeyId.subjectKeyIdOf(k));
    }
  }

  @Test
  void keyBits_ofSomethingElse_isNull() throws Exception {
    byte[] der = key("EC", 256).getEncoded();
    assertNull(KeyId.keyBits(Arrays.copyOf(der, der.length - 1)), "truncated");
    assertNull(KeyId.keyBits(new byte[] {0x30, 0x00}), "empty sequence");
    byte[] otherTag = der.clone();
    otherTag[0] = 0x31;
    assertNull(KeyId.keyBits(otherTag), "a SET");
    assertNull(KeyId.keyBits(new byte[0]));
  }
}
