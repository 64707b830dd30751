package io.tokenroll.agent.encoding;

import java.security.KeyFactory;
import java.security.Provider;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Which JCA provider checks a signature the agent is handed (a token's CSR, a CA's CMC response). The JDK's
 * providers check RSA PKCS#1 v1.5 and ECDSA on the curves tokenroll uses; BouncyCastle's provider only RSASSA-PSS,
 * for which BouncyCastle asks by a name ("SHA256WITHRSAANDMGF1") the JDK does not give. Two reasons, both measured:
 * BouncyCastle validates every RSA modulus it is handed with Miller-Rabin rounds (40 ms for an RSA-2048 key,
 * profiled in a provisioning run), and registering its provider's algorithms takes 55–110 ms of a cold CLI run
 * (profiled in a cold `enroll`) — so it is built on first use, which an enrollment without PSS never reaches.
 */
public final class SignatureCheck {
  private SignatureCheck() {
  }

  /** True when the JDK's providers check signatures of this algorithm (a signature or public-key OID). */
  public static boolean byJdk(ASN1ObjectIdentifier algorithm) {
    return !PKCSObjectIdentifiers.id_RSASSA_PSS.equals(algorithm);
  }

  /**
   * Verifiers for a signature of this algorithm by this public key. The JDK's key factories are asked by name:
   * they do not know the key algorithms by OID, as BouncyCastle asks.
   */
  public static ContentVerifierProvider verifiers(ASN1ObjectIdentifier signatureAlgorithm, SubjectPublicKeyInfo key)
      throws OperatorCreationException {
    if (!byJdk(signatureAlgorithm)) {
      return new JcaContentVerifierProviderBuilder().setProvider(bouncyCastle()).build(key);
    }
    ASN1ObjectIdentifier keyAlgorithm = key.getAlgorithm().getAlgorithm();
    String name = X9ObjectIdentifiers.id_ecPublicKey.equals(keyAlgorithm) ? "EC"
        : PKCSObjectIdentifiers.rsaEncryption.equals(keyAlgorithm) ? "RSA" : keyAlgorithm.getId();
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
