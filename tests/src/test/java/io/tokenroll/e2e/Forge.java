package io.tokenroll.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenroll.cmserver.CmServer;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Hostile answers for the agent, made from genuine ones: certificates and CMC responses signed by the test CA's
 * real issuing key (a CA that misbehaves) or by a stranger, and JSON tampered field by field.
 */
final class Forge {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ASN1ObjectIdentifier PKI_RESPONSE = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.12.3");

  private final CmServer server;

  Forge(CmServer server) {
    this.server = server;
  }

  PrivateKey caKey() {
    return server.certificateAuthority().keys().issuingKey();
  }

  X509Certificate caCert() {
    return server.certificateAuthority().keys().issuing();
  }

  X509Certificate root() {
    return server.certificateAuthority().keys().root();
  }

  static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static X509Certificate cert(PublicKey subject, String dn, boolean ca, Instant from, Instant to,
                              X509Certificate issuer, PrivateKey issuerKey) throws Exception {
    X500Name issuerName = issuer == null ? new X500Name(dn)
        : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    var b = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(120, RANDOM), Date.from(from), Date.from(to),
        new X500Name(dn), subject);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    String alg = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
  }

  X509Certificate issue(PublicKey subject, String dn, boolean ca, Instant from, Instant to) throws Exception {
    return cert(subject, dn, ca, from, to, caCert(), caKey());
  }

  X509Certificate issue(PublicKey subject) throws Exception {
    return issue(subject, "CN=forged", false, Instant.now().minus(Duration.ofHours(1)),
        Instant.now().plus(Duration.ofDays(30)));
  }

  static byte[] certsOnly(List<X509Certificate> certs) throws Exception {
    CMSSignedDataGenerator g = new CMSSignedDataGenerator();
    g.addCertificates(new JcaCertStore(certs));
    return g.generate(new CMSAbsentContent(), false).getEncoded();
  }

  /** A CMC Full PKI Response with the given status and issued-certificate hash, signed by the issuing CA. */
  byte[] cmc(int status, String statusString, byte[] issuedHash, List<X509Certificate> certs) throws Exception {
    ASN1EncodableVector controls = new ASN1EncodableVector();
    controls.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(1),
        new ASN1ObjectIdentifier("1.3.6.1.5.5.7.7.1"), new DERSet(new DERSequence(
        new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(status),
            new DERSequence(new ASN1Integer(1)), new DERUTF8String(statusString)}))}));
    if (issuedHash != null) {
      var attribute = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
          new ASN1ObjectIdentifier("1.3.6.1.4.1.311.21.17"), new DERSet(new DEROctetString(issuedHash))});
      controls.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(2),
          new ASN1ObjectIdentifier("1.3.6.1.4.1.311.10.10.1"), new DERSet(new DERSequence(
          new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(0), new DERSequence(new ASN1Integer(1)),
              new DERSet(attribute)}))}));
    }
    byte[] content = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new DERSequence(controls),
        new DERSequence(), new DERSequence()}).getEncoded();
    CMSSignedDataGenerator g = new CMSSignedDataGenerator();
    g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
        .build(new JcaContentSignerBuilder(caKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
            .build(caKey()), caCert()));
    g.addCertificates(new JcaCertStore(certs));
    return g.generate(new CMSProcessableByteArray(PKI_RESPONSE, content), true).getEncoded();
  }

  // -- the genuine answer, taken apart

  static ArrayNode items(byte[] body) {
    try {
      return (ArrayNode) JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(ArrayNode items) {
    try {
      return JSON.writeValueAsBytes(items);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] pkcs7(ObjectNode item) {
    return Base64.getMimeDecoder().decode(item.get("Pkcs7").asText());
  }

  static List<X509Certificate> certificates(byte[] pkcs7) throws Exception {
    List<X509Certificate> certs = new ArrayList<>();
    var conv = new JcaX509CertificateConverter();
    for (var h : new CMSSignedData(pkcs7).getCertificates().getMatches(null)) {
      certs.add(conv.getCertificate(h));
    }
    return certs;
  }

  static X509Certificate leaf(byte[] pkcs7) throws Exception {
    return certificates(pkcs7).stream().filter(c -> c.getBasicConstraints() < 0).findFirst().orElseThrow();
  }

  /** {@code depth} SEQUENCEs inside each other: what overflowed a recursive ASN.1 decoder's stack. */
  static byte[] nestedSequences(int depth) {
    byte[] x = new byte[0];
    for (int i = 0; i < depth; i++) {
      int n = x.length;
      byte[] len = n < 128 ? new byte[] {(byte) n} : n < 256 ? new byte[] {(byte) 0x81, (byte) n}
          : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
      byte[] next = new byte[1 + len.length + n];
      next[0] = 0x30;
      System.arraycopy(len, 0, next, 1, len.length);
      System.arraycopy(x, 0, next, 1 + len.length, n);
      x = next;
    }
    return x;
  }

  static String b64(byte[] der) {
    return Base64.getEncoder().encodeToString(der);
  }
}
