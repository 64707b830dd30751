package io.tokenroll.cmserver.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CsrSignaturesTest {
  private static KeyPair keys(String alg, int size) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
    g.initialize(size);
    return g.generateKeyPair();
  }

  private static PKCS10CertificationRequest csr(KeyPair kp, String sigAlg) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), kp.getPublic())
        .build(new JcaContentSignerBuilder(sigAlg).build(kp.getPrivate()));
  }

  /** The same request with other signature bits. */
  private static PKCS10CertificationRequest resigned(PKCS10CertificationRequest csr, byte[] signature)
      throws Exception {
    CertificationRequest r = csr.toASN1Structure();
    return new PKCS10CertificationRequest(new CertificationRequest(r.getCertificationRequestInfo(),
        r.getSignatureAlgorithm(), new DERBitString(signature)).getEncoded(ASN1Encoding.DER));
  }

  private static boolean bouncyCastle(PKCS10CertificationRequest csr, PublicKey key) throws Exception {
    return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
  }

  @FunctionalInterface
  private interface Check {
    boolean run() throws Exception;
  }

  /** "true", "false" or "throws". */
  private static String outcome(Check c) {
    try {
      return Boolean.toString(c.run());
    } catch (Exception e) {
      return "throws";
    }
  }

  private static void same(PKCS10CertificationRequest c, PublicKey key) {
    assertEquals(outcome(() -> bouncyCastle(c, key)), outcome(() -> CsrSignatures.valid(c, key)));
  }

  @Test
  void answersAsBouncyCastlesVerifier() throws Exception {
    KeyPair rsa = keys("RSA", 2048);
    KeyPair other = keys("RSA", 2048);
    KeyPair ec = keys("EC", 256);
    KeyPair ec384 = keys("EC", 384);
    for (PKCS10CertificationRequest c : new PKCS10CertificationRequest[] {csr(rsa, "SHA256withRSA"),
        csr(rsa, "SHA1withRSA"), csr(rsa, "SHA512withRSA"),
        csr(ec, "SHA256withECDSA"), csr(ec, "SHA1withECDSA"), csr(ec384, "SHA384withECDSA")}) {
      PublicKey own = new JcaPKCS10CertificationRequest(c).getPublicKey();
      assertEquals(true, CsrSignatures.valid(c, own));
      same(c, other.getPublic());
      same(c, ec.getPublic().equals(own) ? ec384.getPublic() : ec.getPublic());
      byte[] flipped = c.getSignature().clone();
      flipped[flipped.length / 2] ^= 1;
      PKCS10CertificationRequest tampered = resigned(c, flipped);
      same(tampered, own);
      assertEquals(false, CsrSignatures.valid(tampered, own));
    }
    PKCS10CertificationRequest shortSignature = resigned(csr(rsa, "SHA256withRSA"), new byte[10]);
    same(shortSignature, rsa.getPublic());
    assertThrows(Exception.class, () -> CsrSignatures.valid(shortSignature, rsa.getPublic()));
    PKCS10CertificationRequest notDer = resigned(csr(ec, "SHA256withECDSA"), new byte[10]);
    same(notDer, ec.getPublic());
  }
}
