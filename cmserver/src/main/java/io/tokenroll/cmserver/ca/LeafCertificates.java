package io.tokenroll.cmserver.ca;

import io.tokenroll.protocol.certsrv.MsOids;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Builds end-entity certificates the way an AD CS enterprise CA does for a template: subject and UPN from the
 * requester's identity (or from the CSR for subject-from-request templates), the template's EKUs and key usage,
 * the szOID_CERTIFICATE_TEMPLATE and application-policies extensions, random serial, signed by the issuing CA.
 */
final class LeafCertificates {
  private static final Map<String, Integer> KEY_USAGE_BITS = Map.of(
      "digitalsignature", KeyUsage.digitalSignature, "nonrepudiation", KeyUsage.nonRepudiation,
      "keyencipherment", KeyUsage.keyEncipherment, "dataencipherment", KeyUsage.dataEncipherment,
      "keyagreement", KeyUsage.keyAgreement);

  private LeafCertificates() {
  }

  /** The issued certificate, as BouncyCastle built it (no JCA parse: the callers want its DER and serial). */
  static X509CertificateHolder issue(CaHierarchy ca, CertTemplate template, Requester requester, PublicKey key,
      PKCS10CertificationRequest csr) throws GeneralSecurityException {
    try {
      Instant now = Instant.now();
      Instant notAfter = now.plus(Duration.ofDays(template.validityDays()));
      if (notAfter.isAfter(ca.issuing().getNotAfter().toInstant())) {
        notAfter = ca.issuing().getNotAfter().toInstant();
      }
      X500Name subject = template.subjectFromRequest() ? csr.getSubject() : identitySubject(requester);
      // What JcaX509v3CertificateBuilder(X509Certificate issuer, …, Date, Date, …, PublicKey) builds, from values
      // made once (the issuer's name) or made without two SimpleDateFormats per date (the validity).
      X509v3CertificateBuilder b = new X509v3CertificateBuilder(ca.issuingHolder().getSubject(), Serials.next(),
          time(now.minus(Duration.ofMinutes(10))), time(notAfter), subject,
          SubjectPublicKeyInfo.getInstance(key.getEncoded()));
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
      b.addExtension(Extension.authorityKeyIdentifier, false, ca.authorityKeyIdentifier());
      int usage = keyUsage(template, Keys.algorithm(key));
      if (usage != 0) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      }
      b.addExtension(new ASN1ObjectIdentifier(MsOids.CERTIFICATE_TEMPLATE), false, new DERSequence(
          new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(template.oid()),
              new ASN1Integer(100), new ASN1Integer(0)}));
      if (!template.extendedKeyUsages().isEmpty()) {
        List<KeyPurposeId> ekus = template.extendedKeyUsages().stream()
            .map(o -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(o))).toList();
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ekus.toArray(KeyPurposeId[]::new)));
        b.addExtension(new ASN1ObjectIdentifier(MsOids.APPLICATION_CERT_POLICIES), false, applicationPolicies(template));
      }
      GeneralNames san = template.subjectFromRequest() ? requestedSan(csr) : upnSan(requester);
      if (san != null) {
        b.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0, san);
      }
      return b.build(ca.signer());
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot build certificate", e);
    }
  }

  private static final DateTimeFormatter ASN1_SECONDS = DateTimeFormatter.ofPattern("uuuuMMddHHmmss")
      .withZone(ZoneOffset.UTC);

  /**
   * What BouncyCastle's {@code new Time(Date)} makes: whole seconds in UTC, a UTCTime from 1950 to 2049 and a
   * GeneralizedTime otherwise. That constructor formats with one new SimpleDateFormat and validates with another,
   * which showed in profiles of issuance.
   */
  static Time time(Instant t) {
    String s = ASN1_SECONDS.format(t);
    int year = Integer.parseInt(s, 0, s.length() - 10, 10);
    if (year < 1950 || year > 2049) {
      return new Time(new DERGeneralizedTime(s + "Z"));
    }
    byte[] der = new byte[15];
    der[0] = 0x17; // UTCTime, 13 octets: YYMMDDHHMMSSZ
    der[1] = 13;
    for (int i = 0; i < 12; i++) {
      der[2 + i] = (byte) s.charAt(2 + i);
    }
    der[14] = 'Z';
    return new Time(ASN1UTCTime.getInstance(der));
  }

  /** {@code DC=test, DC=example, CN=alice} for alice@example.test: AD's shape, domain components first. */
  static X500Name identitySubject(Requester requester) {
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    String upn = requester.upn();
    if (upn != null && upn.contains("@")) {
      String[] labels = upn.substring(upn.indexOf('@') + 1).split("\\.");
      for (int i = labels.length - 1; i >= 0; i--) {
        nb.addRDN(BCStyle.DC, labels[i]);
      }
    }
    return nb.addRDN(BCStyle.CN, requester.name()).build();
  }

  private static int keyUsage(CertTemplate template, String keyAlgorithm) {
    int bits = 0;
    for (String name : template.keyUsages()) {
      Integer bit = KEY_USAGE_BITS.get(name.toLowerCase(java.util.Locale.ROOT));
      if (bit == null) {
        throw new IllegalArgumentException("template " + template.commonName() + ": unknown key usage " + name);
      }
      // An EC key cannot encipher keys: AD CS templates map "encryption" to key agreement for ECDH keys.
      bits |= keyAlgorithm.equals("EC") && bit == KeyUsage.keyEncipherment ? KeyUsage.keyAgreement : bit;
    }
    return bits;
  }

  private static DERSequence applicationPolicies(CertTemplate template) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    for (String oid : template.extendedKeyUsages()) {
      v.add(new DERSequence(new ASN1ObjectIdentifier(oid)));
    }
    return new DERSequence(v);
  }

  private static GeneralNames upnSan(Requester requester) {
    if (requester.upn() == null || requester.upn().isBlank()) {
      return null;
    }
    ASN1EncodableVector otherName = new ASN1EncodableVector();
    otherName.add(new ASN1ObjectIdentifier(MsOids.UPN));
    otherName.add(new DERTaggedObject(true, 0, new DERUTF8String(requester.upn())));
    return new GeneralNames(new GeneralName(GeneralName.otherName, new DERSequence(otherName)));
  }

  private static GeneralNames requestedSan(PKCS10CertificationRequest csr) {
    for (var attr : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      Extensions exts = Extensions.getInstance(attr.getAttrValues().getObjectAt(0));
      GeneralNames names = GeneralNames.fromExtensions(exts, Extension.subjectAlternativeName);
      if (names != null) {
        return names;
      }
    }
    return null;
  }

  /** The server's own TLS certificate: serverAuth, SANs for its DNS names and IP addresses, valid 90 days. */
  static X509Certificate tlsServer(CaHierarchy ca, PublicKey key, List<String> dnsNames, List<String> ipAddresses)
      throws GeneralSecurityException {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.issuing(), Serials.next(),
          Date.from(now.minus(Duration.ofMinutes(10))), Date.from(now.plus(Duration.ofDays(90))),
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, dnsNames.get(0)).build(), key);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.issuing()));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      ASN1EncodableVector names = new ASN1EncodableVector();
      dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
      ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      b.addExtension(Extension.subjectAlternativeName, false, new DERSequence(names));
      return CaHierarchy.certificate(b.build(ca.signer()).getEncoded());
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot build the TLS certificate", e);
    }
  }
}
