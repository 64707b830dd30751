package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenroll.protocol.certsrv.MsOids;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.Test;

/**
 * The documented example, replayed: MIM's certificatedata request (with a CSR of our own) must get an answer with
 * the field names and JSON types of MIM's example response, and its Pkcs7 the ASN.1 layout of MIM's CMC response.
 */
class ContractTest extends ServerTest {
  private static final Path VECTORS = Path.of("src/test/resources/vectors");

  private static JsonNode vector(String name) throws Exception {
    return TestClient.JSON.readTree(Files.readAllBytes(VECTORS.resolve(name)));
  }

  @Test
  void certificatedataAnswersLikeTheDocumentedExample() throws Exception {
    UUID request = Flows.enroll(alice, BuiltInTemplates.SMART_CARD_LOGON_SHA1);
    KeyPair kp = Csrs.rsa(2048);
    ObjectNode body = (ObjectNode) vector("mimdocs_certificatedata_request.json");
    ((ArrayNode) body.get("certificaterequests")).removeAll().add(Csrs.wrapped(Csrs.csr(kp, "SHA1withRSA")));
    HttpResponse<byte[]> r = alice.api("POST", "requests/" + request + "/certificatedata", body.toString());
    assertEquals(200, r.statusCode(), TestClient.text(r));
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

    JsonNode expected = vector("mimdocs_certificatedata_response.json");
    JsonNode actual = TestClient.json(r);
    assertEquals(expected.size(), actual.size());
    JsonNode want = expected.get(0);
    JsonNode got = actual.get(0);
    assertEquals(fieldNames(want), fieldNames(got), "same field names in the same order");
    for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      assertEquals(want.get(f).getNodeType(), got.get(f).getNodeType(), "JSON type of " + f);
    }
    assertEquals(65536, got.get("Flags").asInt());
    assertEquals(0, got.get("CertificateId").asInt());
    assertTrue(got.get("isPkcs7").asBoolean());
    assertEquals("SmartcardLogon", got.get("TemplateCommonName").asText());

    String pkcs7 = got.get("Pkcs7").asText();
    assertWrappedLikeTheExample(pkcs7);
    byte[] ours = Base64.getMimeDecoder().decode(pkcs7);
    byte[] theirs = Files.readAllBytes(VECTORS.resolve("mimdocs_example_cmc_response.p7"));
    assertEquals(layout(theirs), layout(ours));
    assertIssuedHashAndSigner(ours, kp);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static void assertWrappedLikeTheExample(String b64) {
    assertTrue(b64.endsWith("\r\n"), "ends with CR LF like the example");
    String[] lines = b64.split("\r\n");
    for (int i = 0; i < lines.length - 1; i++) {
      assertEquals(64, lines[i].length(), "line " + i + " is 64 characters");
    }
    assertTrue(lines[lines.length - 1].length() <= 64);
    assertTrue(!b64.replace("\r\n", "").contains("\n"), "no bare LF");
  }

  /**
   * The structure of a CMC full response, field by field, with algorithm choices and values abstracted: what must
   * be identical between MIM's example and ours.
   */
  static List<String> layout(byte[] der) throws Exception {
    List<String> out = new ArrayList<>();
    ContentInfo ci = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der));
    out.add("contentType " + ci.getContentType());
    SignedData sd = SignedData.getInstance(ci.getContent());
    out.add("version " + sd.getVersion());
    out.add("digestAlgorithms " + sd.getDigestAlgorithms().size());
    out.add("eContentType " + sd.getEncapContentInfo().getContentType());
    ASN1Sequence pkiResponse = ASN1Sequence.getInstance(
        ASN1OctetString.getInstance(sd.getEncapContentInfo().getContent()).getOctets());
    out.add("PKIResponse fields " + pkiResponse.size());
    ASN1Sequence controls = ASN1Sequence.getInstance(pkiResponse.getObjectAt(0));
    out.add("controls " + controls.size());
    for (ASN1Encodable c : controls) {
      ASN1Sequence tagged = ASN1Sequence.getInstance(c);
      String type = tagged.getObjectAt(1).toString();
      out.add("control bodyPartID " + tagged.getObjectAt(0) + " type " + type);
      ASN1Set values = ASN1Set.getInstance(tagged.getObjectAt(2));
      out.add("  values " + values.size());
      ASN1Sequence v = ASN1Sequence.getInstance(values.getObjectAt(0));
      if (type.equals(MsOids.CMC_STATUS_INFO)) {
        out.add("  status " + v.getObjectAt(0) + " bodyList " + v.getObjectAt(1) + " statusString "
            + ((ASN1String) v.getObjectAt(2)).getString() + " fields " + v.size());
      } else {
        out.add("  dataReference " + v.getObjectAt(0) + " certReferences " + v.getObjectAt(1));
        ASN1Set attrs = ASN1Set.getInstance(v.getObjectAt(2));
        for (ASN1Encodable a : attrs) {
          ASN1Sequence attr = ASN1Sequence.getInstance(a);
          ASN1Set attrValues = ASN1Set.getInstance(attr.getObjectAt(1));
          out.add("  attribute " + attr.getObjectAt(0) + " values " + attrValues.size() + " octets "
              + ASN1OctetString.getInstance(attrValues.getObjectAt(0)).getOctets().length);
        }
      }
    }
    out.add("cmsSequence " + ASN1Sequence.getInstance(pkiResponse.getObjectAt(1)).size());
    out.add("otherMsgSequence " + ASN1Sequence.getInstance(pkiResponse.getObjectAt(2)).size());
    out.add("certificates " + sd.getCertificates().size());
    out.add("crls " + (sd.getCRLs() == null ? 0 : sd.getCRLs().size()));
    out.add("signerInfos " + sd.getSignerInfos().size());
    SignerInfo si = SignerInfo.getInstance(sd.getSignerInfos().getObjectAt(0));
    out.add("signer version " + si.getVersion() + " sid " + (si.getSID().isTagged()
        ? "subjectKeyIdentifier" : "issuerAndSerialNumber"));
    out.add("digest matches digestAlgorithms " + si.getDigestAlgorithm().equals(
        sd.getDigestAlgorithms().getObjectAt(0)));
    List<String> signed = new ArrayList<>();
    for (ASN1Encodable a : si.getAuthenticatedAttributes()) {
      signed.add(ASN1Sequence.getInstance(a).getObjectAt(0).toString());
    }
    out.add("signedAttrs " + signed);
    out.add("signatureAlgorithm " + si.getDigestEncryptionAlgorithm().getAlgorithm());
    out.add("unsignedAttrs " + (si.getUnauthenticatedAttributes() == null ? "absent" : "present"));
    return out;
  }

  private static void assertIssuedHashAndSigner(byte[] der, KeyPair kp) throws Exception {
    CMSSignedData cms = new CMSSignedData(der);
    X509Certificate issuing = server.trustAnchors().get(1);
    X509CertificateHolder leaf = null;
    for (X509CertificateHolder h : cms.getCertificates().getMatches(null)) {
      if (h.getSubjectPublicKeyInfo().equals(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
          kp.getPublic().getEncoded()))) {
        leaf = h;
      }
    }
    assertTrue(leaf != null, "the leaf for our key is among the certificates");
    assertEquals(new org.bouncycastle.asn1.x500.X500Name(issuing.getSubjectX500Principal().getName()),
        leaf.getIssuer());
    byte[] hash = MessageDigest.getInstance("SHA-1").digest(leaf.getEncoded());
    ASN1Sequence pkiResponse = ASN1Sequence.getInstance((byte[]) cms.getSignedContent().getContent());
    ASN1Sequence add = ASN1Sequence.getInstance(ASN1Sequence.getInstance(pkiResponse.getObjectAt(0)).getObjectAt(1));
    ASN1Sequence info = ASN1Sequence.getInstance(ASN1Set.getInstance(add.getObjectAt(2)).getObjectAt(0));
    ASN1Sequence attr = ASN1Sequence.getInstance(ASN1Set.getInstance(info.getObjectAt(2)).getObjectAt(0));
    assertEquals(new ASN1ObjectIdentifier(MsOids.ISSUED_CERT_HASH), attr.getObjectAt(0));
    assertArrayEquals(hash, ASN1OctetString.getInstance(ASN1Set.getInstance(attr.getObjectAt(1)).getObjectAt(0))
        .getOctets(), "szOID_ISSUED_CERT_HASH is the SHA-1 of the issued leaf");

    SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
    assertEquals(issuing.getSerialNumber(), signer.getSID().getSerialNumber());
    assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(issuing)), "signed by the issuing CA");
    assertEquals(BigInteger.ZERO, ((ASN1Integer) ASN1Sequence.getInstance(ASN1Set.getInstance(
        ASN1Sequence.getInstance(ASN1Sequence.getInstance(pkiResponse.getObjectAt(0)).getObjectAt(0))
            .getObjectAt(2)).getObjectAt(0)).getObjectAt(0)).getValue(), "CMC status success");
  }
}
