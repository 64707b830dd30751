package io.tokenroll.agent.response;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.encoding.Pem;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MIM's own documented example, decoded: the response JSON, its CMC Full PKI Response, the chain and the CSR. */
class VectorsTest {
  private static byte[] vector(String name) throws Exception {
    try (InputStream in = VectorsTest.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void cmcResponse_isASuccessfulFullResponseWithTheIssuedCertHash() throws Exception {
    CmcResponse r = ResponseParser.parse(vector("mimdocs_example_cmc_response.p7"));
    assertTrue(r.full());
    assertEquals(0, r.status());
    assertEquals("Issued", r.statusString());
    assertTrue(r.succeeded());
    assertEquals(3, r.certificates().size());
    assertNotNull(r.signer(), "signed by the issuing CA");
    List<X509Certificate> chain = Pem.certificates(vector("mimdocs_example_chain.pem"));
    X509Certificate leaf = r.certificates().stream().filter(c -> c.getBasicConstraints() < 0).findFirst().orElseThrow();
    assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(leaf.getEncoded()), r.issuedCertificateHashes().get(0),
        "szOID_ISSUED_CERT_HASH is the leaf's SHA-1 thumbprint");
    assertTrue(chain.contains(leaf));
  }

  @Test
  void issuedChain_ofTheExample_isRefusedBecauseItExpiredIn2016() throws Exception {
    CmcResponse r = ResponseParser.parse(vector("mimdocs_example_cmc_response.p7"));
    X509Certificate leaf = r.certificates().stream().filter(c -> c.getBasicConstraints() < 0).findFirst().orElseThrow();
    InvalidResponseException e = assertThrows(InvalidResponseException.class,
        () -> IssuedChain.forKey(leaf.getPublicKey(), r.certificates(), List.of(), false));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
  }

  @Test
  void inspect_responseJson_showsLeafChainAndStatus() throws Exception {
    Map<String, Object> out = Inspector.inspect(vector("mimdocs_certificatedata_response.json"), null);
    assertTrue(out.get("kind").toString().startsWith("certificatedata answer (1 item"), out.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> item = (Map<String, Object>) ((List<?>) out.get("items")).get(0);
    assertEquals("ContosoVirtualSmartCardLimitedRelease-KSP", item.get("templateCommonName"));
    @SuppressWarnings("unchecked")
    Map<String, Object> p7 = (Map<String, Object>) item.get("pkcs7");
    assertEquals("CMC Full PKI Response", p7.get("kind"));
    assertEquals("success \"Issued\"", p7.get("status"));
    assertEquals(3, ((List<?>) p7.get("certificates")).size());
  }

  @Test
  void inspect_requestJsonAndCsr_decodeTheSha1RsaRequest() throws Exception {
    Map<String, Object> req = Inspector.inspect(vector("mimdocs_certificatedata_request.json"), null);
    assertEquals("certificatedata request", req.get("kind"));
    assertEquals("(present, not shown)", req.get("pfxpassword"));
    Map<String, Object> csr = Inspector.inspect(vector("mimdocs_example_csr.der"), null);
    assertEquals("PKCS#10 certificate request", csr.get("kind"));
    assertEquals("1.2.840.113549.1.1.5", csr.get("signatureAlgorithm"), "sha1WithRSAEncryption, as MIM asked");
    assertEquals(true, csr.get("signatureValid"));
  }

  @Test
  void parse_garbage_isRefusedWithAMessage() {
    InvalidResponseException e = assertThrows(InvalidResponseException.class,
        () -> ResponseParser.parse(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
    assertTrue(e.getMessage().contains("not a PKCS#7"), e.getMessage());
  }
}
