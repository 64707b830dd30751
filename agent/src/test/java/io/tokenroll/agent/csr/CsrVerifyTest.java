package io.tokenroll.agent.csr;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenroll.pkcs11.TokenException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/** The check every CSR passes before it leaves: each algorithm the agent signs with, and a forged request. */
class CsrVerifyTest {
  /** The JDK's providers name no RSASSA-PSS signer BouncyCastle's builder would find: the test signs with BC's. */
  private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private static KeyPair keys(String algorithm, java.security.spec.AlgorithmParameterSpec params, int bits)
      throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    if (params != null) {
      g.initialize(params);
    } else {
      g.initialize(bits);
    }
    return g.generateKeyPair();
  }

  private static PKCS10CertificationRequest csr(KeyPair signer, PublicKey claimed, JcaContentSignerBuilder how)
      throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=alice"), claimed)
        .build(how.build(signer.getPrivate()));
  }

  @Test
  void requestsSignedWithEachAlgorithm_verify() throws Exception {
    KeyPair rsa = keys("RSA", null, 2048);
    KeyPair p256 = keys("EC", new ECGenParameterSpec("secp256r1"), 0);
    KeyPair p384 = keys("EC", new ECGenParameterSpec("secp384r1"), 0);
    var pss = new JcaContentSignerBuilder("SHA256withRSAandMGF1",
        new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1)).setProvider(BC);
    for (PKCS10CertificationRequest r : new PKCS10CertificationRequest[] {
        csr(rsa, rsa.getPublic(), new JcaContentSignerBuilder("SHA256withRSA")),
        csr(rsa, rsa.getPublic(), pss),
        csr(p256, p256.getPublic(), new JcaContentSignerBuilder("SHA256withECDSA")),
        csr(p384, p384.getPublic(), new JcaContentSignerBuilder("SHA384withECDSA"))}) {
      assertDoesNotThrow(() -> CsrBuilder.verify(r), r.getSignatureAlgorithm().getAlgorithm().getId());
    }
  }

  @Test
  void aRequestSignedByAnotherKey_isRefused() throws Exception {
    KeyPair ec = keys("EC", new ECGenParameterSpec("secp256r1"), 0);
    KeyPair otherEc = keys("EC", new ECGenParameterSpec("secp256r1"), 0);
    KeyPair rsa = keys("RSA", null, 2048);
    KeyPair otherRsa = keys("RSA", null, 2048);
    for (PKCS10CertificationRequest forged : new PKCS10CertificationRequest[] {
        csr(otherEc, ec.getPublic(), new JcaContentSignerBuilder("SHA256withECDSA")),
        csr(otherRsa, rsa.getPublic(), new JcaContentSignerBuilder("SHA256withRSA")),
        csr(otherRsa, rsa.getPublic(), new JcaContentSignerBuilder("SHA256withRSAandMGF1").setProvider(BC))}) {
      TokenException e = assertThrows(TokenException.class, () -> CsrBuilder.verify(forged));
      assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }
  }

  /** Curves the JDK no longer has go to BouncyCastle: checked, not refused as unsupported — nor waved through. */
  @Test
  void aBrainpoolRequest_isCheckedByBouncyCastle() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
    g.initialize(new ECGenParameterSpec("brainpoolP256r1"));
    KeyPair key = g.generateKeyPair();
    KeyPair other = g.generateKeyPair();
    var ecdsa = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC);
    assertDoesNotThrow(() -> CsrBuilder.verify(csr(key, key.getPublic(), ecdsa)));
    TokenException e = assertThrows(TokenException.class,
        () -> CsrBuilder.verify(csr(other, key.getPublic(), ecdsa)));
    assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
  }
}
