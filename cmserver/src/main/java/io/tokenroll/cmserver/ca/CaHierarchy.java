package io.tokenroll.cmserver.ca;

import io.tokenroll.cmserver.store.CaDatabase;
import io.tokenroll.protocol.certsrv.MsOids;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The CA's two keys and certificates: a self-signed root and the issuing CA it certifies, which signs end-entity
 * certificates, CRLs and CMC responses. Made on first start and kept in the CA database, so a restart (file mode)
 * has the same keys.
 */
public final class CaHierarchy {
  private static final String ROOT = "root";
  private static final String ISSUING = "issuing";

  private final CaSettings settings;
  private final X509Certificate root;
  private final PrivateKey issuingKey;
  private final X509Certificate issuing;
  // What every issuance needs from the issuing CA, made once rather than per certificate and per CMC response.
  private final X509CertificateHolder issuingHolder;
  private final List<X509CertificateHolder> chainHolders;
  private final AuthorityKeyIdentifier authorityKeyIdentifier;
  private final JcaContentSignerBuilder signerBuilder;
  private final DigestCalculatorProvider digests;

  private CaHierarchy(CaSettings settings, X509Certificate root, PrivateKey issuingKey, X509Certificate issuing)
      throws GeneralSecurityException {
    this.settings = settings;
    this.root = root;
    this.issuingKey = issuingKey;
    this.issuing = issuing;
    try {
      this.issuingHolder = new X509CertificateHolder(issuing.getEncoded());
      this.chainHolders = List.of(issuingHolder, new X509CertificateHolder(root.getEncoded()));
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (java.io.IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot read the CA certificates", e);
    }
    this.authorityKeyIdentifier = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuing);
    this.signerBuilder = new JcaContentSignerBuilder(settings.signatureAlgorithm());
  }

  /** Loads the CA from the database, or makes a new root and issuing CA and stores them. */
  public static CaHierarchy loadOrCreate(CaDatabase db, CaSettings settings)
      throws SQLException, GeneralSecurityException {
    var rootRow = db.key(ROOT);
    var issuingRow = db.key(ISSUING);
    if (rootRow.isPresent() && issuingRow.isPresent()) {
      X509Certificate issuingCert = certificate(issuingRow.get().certificate());
      String alg = Keys.algorithm(issuingCert.getPublicKey());
      return new CaHierarchy(settings, certificate(rootRow.get().certificate()),
          Keys.privateKey(issuingRow.get().privateKey(), alg), issuingCert);
    }
    try {
      KeyPair rootKeys = Keys.generate(settings.keyAlgorithm(), settings.keySize());
      X500Name rootName = caName(settings.rootName());
      X509Certificate rootCert = caCertificate(rootName, rootKeys.getPublic(), rootName, rootKeys.getPublic(),
          signer(rootKeys.getPrivate(), settings), Duration.ofDays(20 * 365), null);
      KeyPair issuingKeys = Keys.generate(settings.keyAlgorithm(), settings.keySize());
      X509Certificate issuingCert = caCertificate(caName(settings.caName()), issuingKeys.getPublic(), rootName,
          rootKeys.getPublic(), signer(rootKeys.getPrivate(), settings), Duration.ofDays(10 * 365), 0);
      db.saveKey(ROOT, new CaDatabase.KeyRow(rootKeys.getPrivate().getEncoded(), rootCert.getEncoded()));
      db.saveKey(ISSUING, new CaDatabase.KeyRow(issuingKeys.getPrivate().getEncoded(), issuingCert.getEncoded()));
      return new CaHierarchy(settings, rootCert, issuingKeys.getPrivate(), issuingCert);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot create the CA", e);
    }
  }

  private static X500Name caName(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.DC, "test").addRDN(BCStyle.DC, "example")
        .addRDN(BCStyle.CN, commonName).build();
  }

  private static X509Certificate caCertificate(X500Name subject, PublicKey key, X500Name issuer, PublicKey issuerKey,
      ContentSigner signer, Duration lifetime, Integer pathLength)
      throws java.io.IOException, GeneralSecurityException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, Serials.next(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(lifetime)), subject, key);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
    b.addExtension(Extension.basicConstraints, true,
        pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength));
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
    if (!key.equals(issuerKey)) {
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey));
    }
    // szOID_CERTSRV_CA_VERSION = 0: key index 0, certificate index 0, as AD CS writes it on its CA certificates.
    b.addExtension(new ASN1ObjectIdentifier(MsOids.CA_VERSION), false, new ASN1Integer(BigInteger.ZERO));
    return certificate(b.build(signer).getEncoded());
  }

  static ContentSigner signer(PrivateKey key, CaSettings settings) throws GeneralSecurityException {
    try {
      return new JcaContentSignerBuilder(settings.signatureAlgorithm()).build(key);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with " + settings.signatureAlgorithm(), e);
    }
  }

  public static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  /** A fresh signer with the issuing CA key (ContentSigner instances are single-use streams, not thread-safe). */
  public ContentSigner signer() throws GeneralSecurityException {
    try {
      return signerBuilder.build(issuingKey);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with " + settings.signatureAlgorithm(), e);
    }
  }

  /** The issuing CA certificate as BouncyCastle holds it. */
  X509CertificateHolder issuingHolder() {
    return issuingHolder;
  }

  /** Issuing CA then root, as BouncyCastle holds them. */
  List<X509CertificateHolder> chainHolders() {
    return chainHolders;
  }

  /** The authority key identifier of what the issuing CA signs. */
  AuthorityKeyIdentifier authorityKeyIdentifier() {
    return authorityKeyIdentifier;
  }

  DigestCalculatorProvider digests() {
    return digests;
  }

  public PrivateKey issuingKey() {
    return issuingKey;
  }

  public X509Certificate issuing() {
    return issuing;
  }

  public X509Certificate root() {
    return root;
  }

  /** Issuing CA then root: the chain a leaf needs. */
  public List<X509Certificate> chain() {
    return List.of(issuing, root);
  }

  public CaSettings settings() {
    return settings;
  }
}
