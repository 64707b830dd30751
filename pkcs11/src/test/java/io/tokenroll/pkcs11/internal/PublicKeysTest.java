package io.tokenroll.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenroll.pkcs11.Curve;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

class PublicKeysTest {
  @Test
  void ecKeyFromItsPoint_rawOrWrapped_equalsTheJdksKey() throws Exception {
    for (Curve curve : new Curve[] {Curve.P256, Curve.P384}) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(curve.bits());
      ECPublicKey k = (ECPublicKey) g.generateKeyPair().getPublic();
      byte[] point = SubjectPublicKeyInfo.getInstance(k.getEncoded()).getPublicKeyData().getBytes();
      assertEquals(k, PublicKeys.ec(curve, point));
      assertEquals(k, PublicKeys.ec(curve, new DEROctetString(point).getEncoded()), "CKA_EC_POINT as DER");
      assertEquals(k, PublicKeys.ec(KeyPairs.encodedOid(curve), point), "from CKA_EC_PARAMS");
      byte[] compressed = Arrays.copyOf(point, 1 + (point.length - 1) / 2);
      compressed[0] = 0x02;
      assertThrows(GeneralSecurityException.class, () -> PublicKeys.ec(curve, compressed));
    }
  }

  /** A hostile card's attributes: nesting that would overflow a recursive decoder is refused by length first. */
  @Test
  void aCardsDeeplyNestedAttributes_areRefused_notAStackOverflow() {
    byte[] deep = new byte[20_000];
    for (int i = 0; i < deep.length / 2; i++) {
      deep[2 * i] = 0x30;
      deep[2 * i + 1] = (byte) 0x80; // indefinite length, nested 10,000 deep
    }
    assertThrows(GeneralSecurityException.class, () -> PublicKeys.ec(deep, new byte[65]));
    assertThrows(GeneralSecurityException.class, () -> PublicKeys.ec(Curve.P256, deep));
  }
}
