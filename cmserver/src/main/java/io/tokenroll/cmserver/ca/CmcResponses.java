package io.tokenroll.cmserver.ca;

import io.tokenroll.cmserver.store.CaRecord;
import io.tokenroll.protocol.certsrv.CmcStatus;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.MsOids;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.CollectionStore;

/**
 * Builds CMC Full PKI Responses exactly like the one in MIM's documented example (reference §2.4): a SignedData
 * with eContentType id-cct-PKIResponse whose controlSequence holds body part 1, id-cmc-statusInfo (status,
 * bodyList {1}, statusString), and for an issued certificate body part 2, szOID_CMC_ADD_ATTRIBUTES (dataReference
 * 0, certReferences {1}, szOID_ISSUED_CERT_HASH = SHA-1 of the leaf); certificates = leaf plus the CA chain;
 * one signer, the issuing CA, with only the contentType and messageDigest signed attributes. Pending responses carry
 * pendInfo, failed ones failInfo badRequest; neither has the add-attributes control.
 */
public final class CmcResponses {
  private static final ASN1ObjectIdentifier PKI_RESPONSE = new ASN1ObjectIdentifier(MsOids.PKI_RESPONSE);
  /** BodyPartID of the client's request: a bare PKCS#10 is body part 1, as AD CS numbers it. */
  private static final int REQUEST_BODY_PART = 1;

  private CmcResponses() {
  }

  public static FullResponse build(CaHierarchy ca, CaRecord record) throws GeneralSecurityException {
    List<X509CertificateHolder> certs = new ArrayList<>(3);
    byte[] leaf = null;
    byte[] hash = null;
    if (record.disposition() == Disposition.CR_DISP_ISSUED && record.certificate() != null) {
      leaf = record.certificate();
      hash = MessageDigest.getInstance("SHA-1").digest(leaf);
      try {
        certs.add(new X509CertificateHolder(leaf));
      } catch (IOException e) {
        throw new GeneralSecurityException("the issued certificate of request " + record.requestId()
            + " does not parse", e);
      }
    }
    certs.addAll(ca.chainHolders());

    int status;
    String statusString;
    int otherChoice = CmcStatus.OTHER_INFO_NO_CHOICE;
    ASN1Encodable otherInfo = null;
    byte[] pendToken = null;
    Instant pendTime = null;
    int failInfo = 0;
    switch (record.disposition()) {
      case Disposition.CR_DISP_ISSUED -> {
        status = CmcStatus.SUCCESS;
        statusString = "Issued";
      }
      case Disposition.CR_DISP_UNDER_SUBMISSION -> {
        status = CmcStatus.PENDING;
        statusString = record.message();
        otherChoice = CmcStatus.OTHER_INFO_PEND_CHOICE;
        pendToken = ByteBuffer.allocate(4).putInt(record.requestId()).array();
        pendTime = record.submitted();
        otherInfo = new DERSequence(new ASN1Encodable[] {new DEROctetString(pendToken),
            new DERGeneralizedTime(Date.from(pendTime))});
      }
      default -> {
        status = CmcStatus.FAILED;
        statusString = record.message();
        otherChoice = CmcStatus.OTHER_INFO_FAIL_CHOICE;
        failInfo = CmcStatus.FAIL_BAD_REQUEST;
        otherInfo = new ASN1Integer(failInfo);
      }
    }

    ASN1EncodableVector controls = new ASN1EncodableVector();
    controls.add(taggedAttribute(1, MsOids.CMC_STATUS_INFO, statusInfo(status, statusString, otherInfo)));
    if (hash != null) {
      controls.add(taggedAttribute(2, MsOids.CMC_ADD_ATTRIBUTES, addAttributes(hash)));
    }
    DERSequence pkiResponse = new DERSequence(new ASN1Encodable[] {
        new DERSequence(controls), new DERSequence(), new DERSequence()});
    byte[] encoded = sign(ca, pkiResponse, certs);
    return new FullResponse(encoded, status, statusString, otherChoice, failInfo, pendToken, pendTime, hash, leaf,
        ca.chain());
  }

  private static DERSequence taggedAttribute(int bodyPartId, String oid, ASN1Encodable value) {
    return new DERSequence(new ASN1Encodable[] {new ASN1Integer(bodyPartId), new ASN1ObjectIdentifier(oid),
        new DERSet(value)});
  }

  private static DERSequence statusInfo(int status, String statusString, ASN1Encodable otherInfo) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(status));
    v.add(new DERSequence(new ASN1Integer(REQUEST_BODY_PART)));
    if (statusString != null) {
      v.add(new DERUTF8String(statusString));
    }
    if (otherInfo != null) {
      v.add(otherInfo);
    }
    return new DERSequence(v);
  }

  private static DERSequence addAttributes(byte[] certHash) {
    Attribute hashAttr = new Attribute(new ASN1ObjectIdentifier(MsOids.ISSUED_CERT_HASH),
        new DERSet(new DEROctetString(certHash)));
    return new DERSequence(new ASN1Encodable[] {new ASN1Integer(0),
        new DERSequence(new ASN1Integer(REQUEST_BODY_PART)), new DERSet(hashAttr)});
  }

  private static byte[] sign(CaHierarchy ca, DERSequence pkiResponse, List<X509CertificateHolder> certs)
      throws GeneralSecurityException {
    try {
      CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
      SignerInfoGenerator signer = new JcaSignerInfoGeneratorBuilder(ca.digests(), CmcResponses::rsaEncryptionForPkcs1)
          .setSignedAttributeGenerator(CmcResponses::contentTypeAndDigestOnly)
          .build(ca.signer(), ca.issuingHolder());
      gen.addSignerInfoGenerator(signer);
      gen.addCertificates(new CollectionStore<>(certs));
      var content = new CMSProcessableByteArray(PKI_RESPONSE, pkiResponse.getEncoded(ASN1Encoding.DER));
      return gen.generate(content, true).getEncoded(ASN1Encoding.DER);
    } catch (IOException | CMSException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the CMC response", e);
    }
  }

  // Windows names a PKCS#1 v1.5 signer's algorithm plain rsaEncryption (the digest is in digestAlgorithm).
  private static AlgorithmIdentifier rsaEncryptionForPkcs1(AlgorithmIdentifier signatureAlgorithm) {
    String oid = signatureAlgorithm.getAlgorithm().getId();
    return oid.startsWith("1.2.840.113549.1.1.") && !oid.equals("1.2.840.113549.1.1.10")
        ? new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE) : signatureAlgorithm;
  }

  // AD CS signs exactly these two attributes; BouncyCastle's default would add signingTime and algorithm protection.
  private static AttributeTable contentTypeAndDigestOnly(java.util.Map<String, Object> parameters) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new Attribute(CMSAttributes.contentType,
        new DERSet((ASN1ObjectIdentifier) parameters.get(CMSAttributeTableGenerator.CONTENT_TYPE))));
    v.add(new Attribute(CMSAttributes.messageDigest,
        new DERSet(new DEROctetString((byte[]) parameters.get(CMSAttributeTableGenerator.DIGEST)))));
    return new AttributeTable(v);
  }

  /** A degenerate certs-only SignedData (eContentType id-data, no signers), the CR_OUT_CHAIN / .p7b format. */
  public static byte[] certsOnly(List<X509Certificate> certs, byte[] crl) throws GeneralSecurityException {
    try {
      CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
      gen.addCertificates(new JcaCertStore(certs));
      if (crl != null) {
        gen.addCRL(new org.bouncycastle.cert.X509CRLHolder(crl));
      }
      return gen.generate(new org.bouncycastle.cms.CMSAbsentContent(), false).getEncoded(ASN1Encoding.DER);
    } catch (IOException | CMSException e) {
      throw new GeneralSecurityException("cannot build PKCS#7", e);
    }
  }
}
