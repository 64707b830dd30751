package io.tokenroll.cmserver.ca;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Locale;

/** Key generation and the facts about public keys that templates and generation options check. */
public final class Keys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {
  }

  /** An RSA key of {@code size} bits, or an EC key on the NIST curve of {@code size} bits (256, 384, 521). */
  public static KeyPair generate(String algorithm, int size) throws GeneralSecurityException {
    String alg = algorithm.toUpperCase(Locale.ROOT);
    if (alg.equals("RSA")) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(size, RANDOM);
      return g.generateKeyPair();
    }
    if (alg.equals("EC")) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp" + size + "r1"), RANDOM);
      return g.generateKeyPair();
    }
    throw new GeneralSecurityException("unsupported key algorithm " + algorithm);
  }

  /** {@code RSA} or {@code EC}. */
  public static String algorithm(PublicKey key) {
    return key instanceof RSAPublicKey ? "RSA" : key instanceof ECPublicKey ? "EC" : key.getAlgorithm();
  }

  /** RSA modulus bits, or the EC field size in bits; 0 for other keys. */
  public static int size(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (key instanceof ECPublicKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize();
    }
    return 0;
  }

  public static PrivateKey privateKey(byte[] pkcs8, String algorithm) throws GeneralSecurityException {
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  public static SecureRandom random() {
    return RANDOM;
  }
}
