package io.tokenroll.e2e;

import io.tokenroll.agent.encoding.Pem;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Software-key PKCS#10 requests for the certsrv client tests (the CLI tests sign theirs on a token). */
final class CertsrvCsrs {
  private CertsrvCsrs() {
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  static String pem(KeyPair key) throws Exception {
    var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=certsrv test"), key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
    return Pem.encode("CERTIFICATE REQUEST", csr.getEncoded());
  }
}
