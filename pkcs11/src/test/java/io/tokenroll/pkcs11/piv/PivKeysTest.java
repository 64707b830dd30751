package io.tokenroll.pkcs11.piv;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.Curve;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * What the card's raw private-key operation signs must make signatures the JDK verifies: the PKCS#1 v1.5 block for
 * RSA, the hash cut (or padded) to the curve's size for ECDSA. The card is played by the JDK's raw operations.
 */
class PivKeysTest {
  private static final byte[] DATA = "signed with a PIV key".getBytes();

  @Test
  void rsaInput_signedRaw_verifiesAsSha256WithRsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(DATA);
    byte[] input = PivKeys.signatureInput(pair.getPublic(), SignatureAlgorithm.SHA256_RSA, digest);
    assertEquals(256, input.length);
    Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding"); // what GENERAL AUTHENTICATE does with an RSA slot key
    raw.init(Cipher.DECRYPT_MODE, pair.getPrivate());
    byte[] signature = raw.doFinal(input);
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(pair.getPublic());
    v.update(DATA);
    assertTrue(v.verify(signature));
  }

  @Test
  void ecInput_longerHashCut_shorterHashPadded_verifyAsEcdsa() throws Exception {
    for (String[] c : new String[][] {{"secp256r1", "SHA384_ECDSA"}, {"secp384r1", "SHA256_ECDSA"}}) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(c[0]));
      KeyPair pair = g.generateKeyPair();
      SignatureAlgorithm alg = SignatureAlgorithm.valueOf(c[1]);
      byte[] input = PivKeys.signatureInput(pair.getPublic(), alg,
          MessageDigest.getInstance(alg.digest()).digest(DATA));
      assertEquals((((ECPublicKey) pair.getPublic()).getParams().getCurve().getField().getFieldSize() + 7) / 8,
          input.length);
      Signature raw = Signature.getInstance("NONEwithECDSA"); // the card signs the input as it is
      raw.initSign(pair.getPrivate());
      raw.update(input);
      Signature v = Signature.getInstance(alg.jcaName());
      v.initVerify(pair.getPublic());
      v.update(DATA);
      assertTrue(v.verify(raw.sign()), c[0] + " with " + alg);
    }
  }

  @Test
  void generatedKeys_readBack_andWrongSizesAreRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    ECPublicKey ec = (ECPublicKey) g.generateKeyPair().getPublic();
    byte[] point = new byte[65];
    point[0] = 4;
    byte[] x = fixed(ec.getW().getAffineX(), 32);
    byte[] y = fixed(ec.getW().getAffineY(), 32);
    System.arraycopy(x, 0, point, 1, 32);
    System.arraycopy(y, 0, point, 33, 32);
    byte[] answer = Tlv.of(0x7F49, Tlv.of(0x86, point));
    assertEquals(ec, PivKeys.fromGenerated(answer, KeySpec.ec(Curve.P256)));
    assertThrows(IllegalArgumentException.class, () -> PivKeys.fromGenerated(answer, KeySpec.ec(Curve.P384)));

    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(1024);
    RSAPublicKey small = (RSAPublicKey) r.generateKeyPair().getPublic();
    byte[] rsa = Tlv.of(0x7F49, Tlv.concat(Tlv.of(0x81, small.getModulus().toByteArray()),
        Tlv.of(0x82, small.getPublicExponent().toByteArray())));
    assertThrows(IllegalArgumentException.class, () -> PivKeys.fromGenerated(rsa, KeySpec.rsa(2048)),
        "a 1024-bit key where 2048 was asked for");
  }

  @Test
  void tlv_refusesLengthsBeyondItsInput() {
    assertThrows(IllegalArgumentException.class, () -> Tlv.read(new byte[] {0x53, (byte) 0x82, 0x10, 0x00, 1}));
    assertThrows(IllegalArgumentException.class, () -> Tlv.read(new byte[] {0x53, (byte) 0x84, 0, 0, 0, 1}));
    assertArrayEquals(new byte[] {1, 2}, Tlv.read(new byte[] {0x70, 2, 1, 2}).get(0x70));
  }

  private static byte[] fixed(BigInteger v, int size) {
    byte[] b = v.toByteArray();
    return b.length == size ? b : b.length > size ? Arrays.copyOfRange(b, b.length - size, b.length)
        : concatZeros(b, size);
  }

  private static byte[] concatZeros(byte[] b, int size) {
    byte[] out = new byte[size];
    System.arraycopy(b, 0, out, size - b.length, b.length);
    return out;
  }
}
