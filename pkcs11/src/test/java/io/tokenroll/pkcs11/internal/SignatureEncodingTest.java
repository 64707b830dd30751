package io.tokenroll.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.SignatureAlgorithm;
import java.math.BigInteger;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.Test;

class SignatureEncodingTest {
  @Test
  void ecdsaToDer_encodesRAndSAsPositiveIntegers() {
    byte[] raw = new byte[64];
    raw[0] = (byte) 0x80; // high bit set: DER needs a leading zero
    raw[63] = 1;
    ASN1Sequence seq = ASN1Sequence.getInstance(SignatureEncoding.ecdsaToDer(raw));
    assertEquals(new BigInteger(1, java.util.Arrays.copyOf(raw, 32)),
        ASN1Integer.getInstance(seq.getObjectAt(0)).getValue());
    assertEquals(BigInteger.ONE, ASN1Integer.getInstance(seq.getObjectAt(1)).getValue());
    assertThrows(IllegalArgumentException.class, () -> SignatureEncoding.ecdsaToDer(new byte[63]));
  }

  @Test
  void ecdsaToDer_matchesBouncyCastleForRandomAndEdgeValues() throws Exception {
    java.util.Random random = new java.util.Random(42);
    for (int size : new int[] {32, 48, 66}) {
      for (int i = 0; i < 500; i++) {
        byte[] raw = new byte[2 * size];
        random.nextBytes(raw);
        if (i % 5 == 0) {
          java.util.Arrays.fill(raw, 0, size / 2, (byte) 0); // short r
        }
        if (i % 7 == 0) {
          java.util.Arrays.fill(raw, size, 2 * size, (byte) 0); // s = 0
        }
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(raw, 0, size));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(raw, size, 2 * size));
        byte[] expected = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
        assertArrayEquals(expected, SignatureEncoding.ecdsaToDer(raw), "size " + size + " case " + i);
      }
    }
  }

  @Test
  void digestInfo_isTheRfc8017Prefix() {
    byte[] digest = new byte[32];
    assertEquals("3031300d060960864801650304020105000420" + "00".repeat(32),
        HexFormat.of().formatHex(SignatureEncoding.digestInfo(SignatureAlgorithm.SHA256_RSA, digest)));
    assertEquals("3021300906052b0e03021a05000414" + "00".repeat(20),
        HexFormat.of().formatHex(SignatureEncoding.digestInfo(SignatureAlgorithm.SHA1_RSA, new byte[20])));
  }
}
