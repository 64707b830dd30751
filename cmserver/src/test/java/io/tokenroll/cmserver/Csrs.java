package io.tokenroll.cmserver;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Real key pairs and PKCS#10 requests for tests. */
final class Csrs {
  private Csrs() {
  }

  static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static byte[] csr(KeyPair kp, String signatureAlgorithm) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(""), kp.getPublic())
        .build(new JcaContentSignerBuilder(signatureAlgorithm).build(kp.getPrivate())).getEncoded();
  }

  static byte[] csr(KeyPair kp, String signatureAlgorithm, String subject) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), kp.getPublic())
        .build(new JcaContentSignerBuilder(signatureAlgorithm).build(kp.getPrivate())).getEncoded();
  }

  /** Base64 wrapped at 64 characters with CR LF, as MIM's example sends CSRs. */
  static String wrapped(byte[] der) {
    return Base64.getMimeEncoder(64, "\r\n".getBytes()).encodeToString(der) + "\r\n";
  }

  /** The CSR with one bit of its signature flipped: it parses, but the signature fails. */
  static byte[] broken(byte[] der) {
    byte[] copy = der.clone();
    copy[copy.length - 5] ^= 0x01;
    return copy;
  }
}
