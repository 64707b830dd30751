package io.tokenroll.agent.certsrv;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A small CA and a leaf it issued, and certs-only PKCS#7s, for the client's tests. */
final class TestCerts {
  final KeyPair caKey;
  final X509Certificate ca;
  final X509Certificate leaf;

  TestCerts() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    caKey = g.generateKeyPair();
    ca = certificate("CN=Test CA", caKey, "CN=Test CA", caKey.getPublic(), true);
    leaf = certificate("CN=Test CA", caKey, "CN=alice", g.generateKeyPair().getPublic(), false);
  }

  private static X509Certificate certificate(String issuer, KeyPair signer, String subject,
      java.security.PublicKey key, boolean isCa) throws Exception {
    Instant now = Instant.now();
    var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject),
        key);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    X509CertificateHolder h = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
    return new JcaX509CertificateConverter().getCertificate(h);
  }

  static byte[] pkcs7(X509Certificate... certs) throws Exception {
    CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
    gen.addCertificates(new JcaCertStore(List.of(certs)));
    return gen.generate(new CMSProcessableByteArray(new byte[0]), false).getEncoded();
  }
}
