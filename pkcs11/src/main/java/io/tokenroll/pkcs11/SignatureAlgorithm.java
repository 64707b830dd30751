package io.tokenroll.pkcs11;

import java.util.Locale;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/** Signature schemes a token key can produce, named by their JCA names. */
public enum SignatureAlgorithm {
  SHA1_RSA("SHA1withRSA", KeySpec.Type.RSA, "SHA-1", Padding.PKCS1),
  SHA256_RSA("SHA256withRSA", KeySpec.Type.RSA, "SHA-256", Padding.PKCS1),
  SHA384_RSA("SHA384withRSA", KeySpec.Type.RSA, "SHA-384", Padding.PKCS1),
  SHA512_RSA("SHA512withRSA", KeySpec.Type.RSA, "SHA-512", Padding.PKCS1),
  SHA256_RSA_PSS("SHA256withRSAandMGF1", KeySpec.Type.RSA, "SHA-256", Padding.PSS),
  SHA384_RSA_PSS("SHA384withRSAandMGF1", KeySpec.Type.RSA, "SHA-384", Padding.PSS),
  SHA512_RSA_PSS("SHA512withRSAandMGF1", KeySpec.Type.RSA, "SHA-512", Padding.PSS),
  SHA1_ECDSA("SHA1withECDSA", KeySpec.Type.EC, "SHA-1", Padding.NONE),
  SHA256_ECDSA("SHA256withECDSA", KeySpec.Type.EC, "SHA-256", Padding.NONE),
  SHA384_ECDSA("SHA384withECDSA", KeySpec.Type.EC, "SHA-384", Padding.NONE),
  SHA512_ECDSA("SHA512withECDSA", KeySpec.Type.EC, "SHA-512", Padding.NONE);

  /** How the digest is turned into a signature input. */
  public enum Padding { PKCS1, PSS, NONE }

  private final String jcaName;
  private final KeySpec.Type keyType;
  private final String digest;
  private final Padding padding;
  private final AlgorithmIdentifier algorithmIdentifier;

  SignatureAlgorithm(String jcaName, KeySpec.Type keyType, String digest, Padding padding) {
    this.jcaName = jcaName;
    this.keyType = keyType;
    this.digest = digest;
    this.padding = padding;
    this.algorithmIdentifier = new DefaultSignatureAlgorithmIdentifierFinder().find(jcaName);
  }

  public String jcaName() {
    return jcaName;
  }

  public KeySpec.Type keyType() {
    return keyType;
  }

  /** JCA name of the digest, e.g. {@code SHA-256}. */
  public String digest() {
    return digest;
  }

  public int digestLength() {
    return switch (digest) {
      case "SHA-1" -> 20;
      case "SHA-256" -> 32;
      case "SHA-384" -> 48;
      default -> 64;
    };
  }

  public Padding padding() {
    return padding;
  }

  public AlgorithmIdentifier algorithmIdentifier() {
    return algorithmIdentifier;
  }

  public boolean isWeak() {
    return digest.equals("SHA-1");
  }

  /**
   * The scheme for a key and a hash name as servers write it ({@code SHA1}, {@code sha256}, {@code SHA-384}).
   * RSA keys get PKCS#1 v1.5 unless {@code pss} is set.
   */
  public static SignatureAlgorithm forKey(KeySpec.Type keyType, String hashName, boolean pss) {
    String h = hashName == null || hashName.isBlank() ? "SHA256"
        : hashName.toUpperCase(Locale.ROOT).replace("-", "").trim();
    for (SignatureAlgorithm a : values()) {
      boolean wantPss = pss && keyType == KeySpec.Type.RSA;
      if (a.keyType == keyType && a.digest.replace("-", "").equals(h) && (a.padding == Padding.PSS) == wantPss) {
        return a;
      }
    }
    throw new IllegalArgumentException("no " + keyType + " signature with hash '" + hashName + "'"
        + (pss ? " and PSS" : ""));
  }

  /** The default for a key: SHA-256, or SHA-384 for P-384 and larger curves. */
  public static SignatureAlgorithm defaultFor(KeySpec spec) {
    if (spec.type() == KeySpec.Type.RSA) {
      return SHA256_RSA;
    }
    return spec.bits() >= 384 ? SHA384_ECDSA : SHA256_ECDSA;
  }

  public static SignatureAlgorithm parse(String name) {
    String n = name.trim();
    for (SignatureAlgorithm a : values()) {
      if (a.name().equalsIgnoreCase(n.replace('-', '_')) || a.jcaName.equalsIgnoreCase(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown signature algorithm '" + name + "'");
  }
}
