package io.tokenroll.agent.encoding;

import java.security.KeyFactory;
import java.security.Provider;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Which JCA provider checks a signature the agent is handed (a token's CSR, a CA's CMC response). The JDK's
 * providers check RSA PKCS#1 v1.5, and ECDSA on the NIST curves; BouncyCastle's provider everything else:
 * RSASSA-PSS (BouncyCastle asks for it by a name, "SHA256WITHRSAANDMGF1", the JDK does not give), other curves
 * (brainpool, secp256k1: the JDK no longer has them), other key types — and ECDSA on a JDK 17 older than 17.0.3,
 * whose ECDSA accepted forged signatures (CVE-2022-21449). Two reasons, both measured: BouncyCastle validates every
 * RSA modulus it is handed with Miller-Rabin rounds (40 ms for an RSA-2048 key, profiled in a provisioning run),
 * and registering its provider's algorithms takes 55–110 ms of a cold CLI run (profiled in a cold `enroll`) — so it
 * is built on first use, which an enrollment with RSA PKCS#1 or NIST-curve keys never reaches.
 */
public final class SignatureCheck {
  private static final Set<ASN1ObjectIdentifier> JDK_CURVES = Set.of(SECObjectIdentifiers.secp256r1,
      SECObjectIdentifiers.secp384r1, SECObjectIdentifiers.secp521r1);
  /** CVE-2022-21449: the JDK's ECDSA took r = s = 0 before 17.0.3 and 18.0.1. */
  private static final boolean JDK_ECDSA_SOUND = jdkEcdsaSound(Runtime.version());

  private SignatureCheck() {
  }

  static boolean jdkEcdsaSound(Runtime.Version v) {
    return v.feature() > 18 || v.update() >= (v.feature() == 18 ? 1 : 3);
  }

  /** True when the JDK's providers check this signature algorithm by this public key. */
  public static boolean byJdk(ASN1ObjectIdentifier signatureAlgorithm, SubjectPublicKeyInfo key) {
    if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(signatureAlgorithm)) {
      return false;
    }
    ASN1ObjectIdentifier keyAlgorithm = key.getAlgorithm().getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(keyAlgorithm)) {
      return true;
    }
    return X9ObjectIdentifiers.id_ecPublicKey.equals(keyAlgorithm) && JDK_ECDSA_SOUND
        && key.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve && JDK_CURVES.contains(curve);
  }

  /** Verifiers for a signature of this algorithm by this public key, from the provider {@link #byJdk} chooses. */
  public static ContentVerifierProvider verifiers(ASN1ObjectIdentifier signatureAlgorithm, SubjectPublicKeyInfo key)
      throws OperatorCreationException {
    if (!byJdk(signatureAlgorithm, key)) {
      return new JcaContentVerifierProviderBuilder().setProvider(bouncyCastle()).build(key);
    }
    // asked by name: the JDK's EC key factory does not answer to the key's OID, as BouncyCastle asks
    String name = PKCSObjectIdentifiers.rsaEncryption.equals(key.getAlgorithm().getAlgorithm()) ? "RSA" : "EC";
    try {
      return new JcaContentVerifierProviderBuilder().build(
          KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(key.getEncoded())));
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new OperatorCreationException("cannot read the " + name + " public key: " + e.getMessage(), e);
    }
  }

  /** BouncyCastle's provider, built once on first use. */
  public static Provider bouncyCastle() {
    return Lazy.PROVIDER;
  }

  private static final class Lazy {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }
}
