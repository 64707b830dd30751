package io.tokenroll.pkcs11;

import java.util.Locale;

/**
 * The algorithm and size of a key pair: RSA with a modulus size, or EC on a named curve.
 * Parsed from the spellings users and servers write: {@code RSA-2048}, {@code rsa:3072}, {@code EC-P256},
 * {@code ec:secp384r1}, {@code ECDSA_P256} (the WinRT names MIM sends).
 */
public record KeySpec(Type type, int bits, Curve curve) {
  public enum Type { RSA, EC }

  public KeySpec {
    if (type == Type.RSA && (bits < 1024 || bits > 16384 || curve != null)) {
      throw new IllegalArgumentException("RSA key size out of range: " + bits);
    }
    if (type == Type.EC && (curve == null || bits != curve.bits())) {
      throw new IllegalArgumentException("EC key spec needs a curve");
    }
  }

  public static KeySpec rsa(int bits) {
    return new KeySpec(Type.RSA, bits, null);
  }

  public static KeySpec ec(Curve curve) {
    return new KeySpec(Type.EC, curve.bits(), curve);
  }

  public static KeySpec parse(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT).replace('_', '-').replace(':', '-');
    try {
      if (s.startsWith("RSA-")) {
        return rsa(Integer.parseInt(s.substring(4)));
      }
      String curve = s.startsWith("ECDSA-") ? s.substring(6) : s.startsWith("EC-") ? s.substring(3) : null;
      if (curve != null) {
        return switch (curve.replace("-", "")) {
          case "P256", "SECP256R1", "PRIME256V1" -> ec(Curve.P256);
          case "P384", "SECP384R1" -> ec(Curve.P384);
          case "P521", "SECP521R1" -> ec(Curve.P521);
          default -> throw new IllegalArgumentException("unknown curve '" + curve + "'");
        };
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "unknown key spec '" + text + "' (expected RSA-2048, RSA-3072, RSA-4096, EC-P256 or EC-P384)");
  }

  /** The spec of an existing public key (RSA modulus size, or named curve). */
  public static KeySpec of(java.security.PublicKey key) {
    if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
      return rsa(rsa.getModulus().bitLength());
    }
    if (key instanceof java.security.interfaces.ECPublicKey) {
      var alg = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
      return ec(Curve.fromOid(org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(alg.getParameters())));
    }
    throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
  }

  @Override
  public String toString() {
    return type == Type.RSA ? "RSA-" + bits : "EC-" + curve.displayName().replace("-", "");
  }
}
