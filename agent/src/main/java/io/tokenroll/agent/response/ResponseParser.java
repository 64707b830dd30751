package io.tokenroll.agent.response;

import io.tokenroll.agent.encoding.SignatureCheck;
import io.tokenroll.protocol.certsrv.MsOids;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.PKIResponse;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.util.Store;

/**
 * Decodes the PKCS#7 a CA answers with. For a CMC Full PKI Response (eContentType id-cct-PKIResponse) it reads
 * the CMCStatusInfo and Microsoft's szOID_CMC_ADD_ATTRIBUTES / szOID_ISSUED_CERT_HASH, and verifies the
 * response's signature with its signer certificate. Anything malformed is an {@link InvalidResponseException}.
 */
public final class ResponseParser {
  private static final ASN1ObjectIdentifier PKI_RESPONSE = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.12.3");
  private static final ASN1ObjectIdentifier ADD_ATTRIBUTES = new ASN1ObjectIdentifier(MsOids.CMC_ADD_ATTRIBUTES);
  private static final ASN1ObjectIdentifier ISSUED_CERT_HASH = new ASN1ObjectIdentifier(MsOids.ISSUED_CERT_HASH);

  private ResponseParser() {
  }

  public static CmcResponse parse(byte[] der) throws InvalidResponseException {
    InvalidResponseException.checkShape(der, "the PKCS#7");
    try {
      return decode(der);
    } catch (RuntimeException e) {
      // BouncyCastle decodes parts of a SignedData lazily (signer infos, certificates) and says no with unchecked
      // exceptions there (found by fuzzing: a SET where a SignerInfo belongs)
      throw new InvalidResponseException("the PKCS#7 cannot be decoded: " + e.getMessage());
    } catch (StackOverflowError e) { // a backstop: the shape check is meant to make this unreachable
      throw new InvalidResponseException("the PKCS#7 is nested too deeply to decode; refused");
    }
  }

  private static CmcResponse decode(byte[] der) throws InvalidResponseException {
    CMSSignedData signed;
    try {
      signed = new CMSSignedData(der);
    } catch (CMSException | RuntimeException e) {
      throw new InvalidResponseException("not a PKCS#7/CMS SignedData: " + e.getMessage());
    }
    List<X509Certificate> certs = certificates(signed.getCertificates());
    X509Certificate signer = verifySigner(signed, certs);
    ASN1ObjectIdentifier contentType = signed.getSignedContentTypeOID() == null ? null
        : new ASN1ObjectIdentifier(signed.getSignedContentTypeOID());
    if (!PKI_RESPONSE.equals(contentType)) {
      return new CmcResponse(false, null, null, null, List.of(), certs, signer);
    }
    if (signed.getSignedContent() == null) {
      throw new InvalidResponseException("CMC response without its PKIResponse content");
    }
    PKIResponse response;
    try {
      response = PKIResponse.getInstance(signed.getSignedContent().getContent());
    } catch (RuntimeException e) {
      throw new InvalidResponseException("CMC PKIResponse cannot be decoded: " + e.getMessage());
    }
    Integer status = null;
    String statusString = null;
    Integer failInfo = null;
    List<byte[]> hashes = new ArrayList<>();
    try {
      for (ASN1Encodable c : response.getControlSequence()) {
        TaggedAttribute ta = TaggedAttribute.getInstance(c);
        for (ASN1Encodable value : ta.getAttrValues()) {
          if (ta.getAttrType().equals(CMCObjectIdentifiers.id_cmc_statusInfo)
              || ta.getAttrType().equals(CMCObjectIdentifiers.id_cmc_statusInfoV2)) {
            // CMCStatusInfo(V2) ::= SEQUENCE { cMCStatus INTEGER, bodyList SEQUENCE, statusString UTF8String OPTIONAL,
            //                                 otherInfo CHOICE { failInfo INTEGER, pendInfo SEQUENCE, … } OPTIONAL }
            ASN1Sequence info = ASN1Sequence.getInstance(value);
            status = ASN1Integer.getInstance(info.getObjectAt(0)).intValueExact();
            for (int i = 2; i < info.size(); i++) {
              ASN1Encodable e = info.getObjectAt(i);
              if (e instanceof ASN1String str) {
                statusString = str.getString();
              } else if (e instanceof ASN1Integer fail) {
                failInfo = fail.intValueExact();
              }
            }
          } else if (ta.getAttrType().equals(ADD_ATTRIBUTES)) {
            hashes.addAll(issuedCertHashes(value));
          }
        }
      }
    } catch (RuntimeException e) {
      throw new InvalidResponseException("CMC control sequence cannot be decoded: " + e.getMessage());
    }
    if (status == null) {
      throw new InvalidResponseException("CMC response carries no CMCStatusInfo");
    }
    return new CmcResponse(true, status, statusString, failInfo, hashes, certs, signer);
  }

  /** CMCAddAttributesInfo ::= SEQUENCE { dataReference, certReferences, attributes SET OF Attribute }. */
  private static List<byte[]> issuedCertHashes(ASN1Encodable value) throws InvalidResponseException {
    List<byte[]> hashes = new ArrayList<>();
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(value);
      ASN1Set attributes = ASN1Set.getInstance(seq.getObjectAt(seq.size() - 1));
      for (ASN1Encodable a : attributes) {
        Attribute attr = Attribute.getInstance(a);
        if (attr.getAttrType().equals(ISSUED_CERT_HASH)) {
          for (ASN1Encodable v : attr.getAttributeValues()) {
            hashes.add(ASN1OctetString.getInstance(v).getOctets());
          }
        }
      }
    } catch (RuntimeException e) {
      throw new InvalidResponseException("szOID_CMC_ADD_ATTRIBUTES cannot be decoded: " + e.getMessage());
    }
    return hashes;
  }

  private static List<X509Certificate> certificates(Store<X509CertificateHolder> store)
      throws InvalidResponseException {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Collection<X509CertificateHolder> holders = store.getMatches(null);
      for (X509CertificateHolder h : holders) {
        certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
      }
    } catch (CertificateException | java.io.IOException | RuntimeException e) {
      throw new InvalidResponseException("a certificate in the PKCS#7 cannot be decoded: " + e.getMessage());
    }
    return certs;
  }

  /** The provider is chosen by {@link SignatureCheck}, from the signer's algorithm and its certificate's key. */
  private static JcaSimpleSignerInfoVerifierBuilder verifierFor(SignerInformation si, X509Certificate cert) {
    return SignatureCheck.byJdk(new org.bouncycastle.asn1.ASN1ObjectIdentifier(si.getEncryptionAlgOID()),
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded()))
        ? new JcaSimpleSignerInfoVerifierBuilder()
        : new JcaSimpleSignerInfoVerifierBuilder().setProvider(SignatureCheck.bouncyCastle());
  }

  /** Every signer must verify with a certificate carried in the response; returns the (first) signer. */
  private static X509Certificate verifySigner(CMSSignedData signed, List<X509Certificate> certs)
      throws InvalidResponseException {
    X509Certificate first = null;
    for (SignerInformation si : signed.getSignerInfos().getSigners()) {
      X509Certificate cert = certs.stream().filter(c -> si.getSID().match(holder(c))).findFirst()
          .orElseThrow(() -> new InvalidResponseException("the response is signed by a certificate it does not carry"));
      try {
        if (!si.verify(verifierFor(si, cert).build(cert))) {
          throw new InvalidResponseException("the response's signature does not verify");
        }
      } catch (CMSException | org.bouncycastle.operator.OperatorCreationException
               | org.bouncycastle.operator.RuntimeOperatorException e) {
        throw new InvalidResponseException("the response's signature does not verify: " + e.getMessage());
      }
      if (first == null) {
        first = cert;
      }
    }
    return first;
  }

  private static X509CertificateHolder holder(X509Certificate c) {
    try {
      return new X509CertificateHolder(c.getEncoded());
    } catch (java.io.IOException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
