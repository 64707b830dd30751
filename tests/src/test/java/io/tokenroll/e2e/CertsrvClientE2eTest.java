package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.certsrv.CertsrvClient;
import io.tokenroll.agent.certsrv.CertsrvConnector;
import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.RetryPolicy;
import io.tokenroll.agent.http.TlsSettings;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.FullResponseProperty;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's ICertRequest2 over web enrollment against cmserver's /certsrv facade over real HTTPS: every
 * disposition, the cached state the Get* methods read, the CA certificate, chain, CRLs and properties.
 */
class CertsrvClientE2eTest {
  private static Stack stack;
  private static String config;
  private static KeyPair key;
  private static String csr;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack("certsrv-api");
    config = stack.server.baseUri() + "certsrv";
    key = CertsrvCsrs.rsa();
    csr = CertsrvCsrs.pem(key);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @AfterEach
  void disarm() {
    stack.server.faults().clear();
  }

  static CertsrvClient client(Stack s) {
    return client(s, Credentials.basic(s.user, Backends.readSecret(s.password).toCharArray()));
  }

  static CertsrvClient client(Stack s, Credentials credentials) {
    return new CertsrvClient(new CertsrvConnector(TlsSettings.verifying(s.server.trustAnchors()), credentials,
        RetryPolicy.NONE, Duration.ofSeconds(20), CertsrvConnector.DEFAULT_MAX_BODY));
  }

  private static int submit(CertsrvClient c, String template) throws CertSrvException {
    return c.submit(RequestFlags.CR_IN_BASE64HEADER | RequestFlags.CR_IN_PKCS10, csr,
        "CertificateTemplate:" + template, config);
  }

  static CertSrvException failure(Call call) {
    return assertThrows(CertSrvException.class, call::run);
  }

  interface Call {
    void run() throws Exception;
  }

  private static X509Certificate cert(byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static byte[] bytes(Object bstr) {
    return ((String) bstr).getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void issued_cachesTheOutcome_andServesCertificateAndChainInEveryEncoding() throws Exception {
    CertsrvClient c = client(stack);
    assertEquals(Disposition.CR_DISP_ISSUED, c.submit(RequestFlags.CR_IN_BASE64HEADER | RequestFlags.CR_IN_FULLRESPONSE,
        csr, "CertificateTemplate:User\nSAN:upn=x@y", config));
    assertTrue(c.getRequestId() > 0);
    assertEquals(HResult.S_OK, c.getLastStatus());
    assertEquals("Issued", c.getDispositionMessage());

    X509Certificate leaf = cert(bytes(c.getCertificate(OutputFlags.CR_OUT_BINARY)));
    assertEquals(key.getPublic(), leaf.getPublicKey());
    leaf.verify(stack.server.trustAnchors().get(1).getPublicKey());
    String pem = c.getCertificate(OutputFlags.CR_OUT_BASE64HEADER);
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\r\n"), pem);
    assertArrayEquals(leaf.getEncoded(), Base64.getMimeDecoder().decode(c.getCertificate(OutputFlags.CR_OUT_BASE64)));
    CMSSignedData chain = new CMSSignedData(bytes(c.getCertificate(OutputFlags.CR_OUT_CHAIN
        | OutputFlags.CR_OUT_BINARY)));
    assertEquals(3, chain.getCertificates().getMatches(null).size(), "leaf, issuing CA, root");
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, failure(() -> c.getFullResponseProperty(
        FullResponseProperty.FULLRESPONSE.id(), 0, PropType.PROPTYPE_BINARY, OutputFlags.CR_OUT_BINARY)).hresult(),
        "web enrollment returns no CMC full response");
    assertEquals(HResult.E_NOTIMPL, failure(() -> c.getCertificate(OutputFlags.CR_OUT_CHAIN | OutputFlags.CR_OUT_CRLS))
        .hresult());

    int id = c.getRequestId();
    assertEquals(Disposition.CR_DISP_ISSUED, c.getIssuedCertificate(config, id, null));
    assertEquals(leaf, cert(bytes(c.getCertificate(OutputFlags.CR_OUT_BINARY))));
    assertEquals(HResult.E_NOTIMPL, failure(() -> c.getIssuedCertificate(config, -1,
        leaf.getSerialNumber().toString(16))).hresult(), "no web enrollment page looks up by serial");
  }

  @Test
  void pending_thenApprovedByTheCaManager_isRetrieved() throws Exception {
    CertsrvClient c = client(stack);
    assertEquals(Disposition.CR_DISP_UNDER_SUBMISSION, submit(c, "ManagerApproval"));
    int id = c.getRequestId();
    assertEquals(HResult.S_OK, c.getLastStatus());
    assertEquals("Taken Under Submission", c.getDispositionMessage());
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, failure(() -> c.getCertificate(0)).hresult());

    CertsrvClient later = client(stack);
    assertEquals(Disposition.CR_DISP_UNDER_SUBMISSION, later.retrievePending(id, config));
    stack.server.admin().approveCaRequest(id);
    assertEquals(Disposition.CR_DISP_ISSUED, later.retrievePending(id, config));
    assertEquals(id, later.getRequestId());
    assertEquals("Issued", later.getDispositionMessage(), "the issued page does not carry the CA's message");
    assertEquals(key.getPublic(), cert(bytes(later.getCertificate(OutputFlags.CR_OUT_BINARY))).getPublicKey());
  }

  @Test
  void denied_byPolicyAndByTheCaManager_carryMessageAndHresult() throws Exception {
    CertsrvClient c = client(stack);
    assertEquals(Disposition.CR_DISP_DENIED, submit(c, "TemplateDenied"));
    assertEquals(HResult.CERTSRV_E_TEMPLATE_DENIED, c.getLastStatus());
    assertTrue(c.getDispositionMessage().startsWith("Denied by Policy Module 0x80094012, The permissions on the "
        + "certificate template"), c.getDispositionMessage());
    assertTrue(c.getRequestId() > 0);
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, failure(() -> c.getCertificate(0)).hresult());
    assertEquals("The permissions on the certificate template do not allow the current user to enroll for this type "
        + "of certificate. 0x80094012 (-2146877422)", c.getErrorMessageText(c.getLastStatus(),
        OutputFlags.CR_GEMT_HRESULT_STRING));

    assertEquals(Disposition.CR_DISP_DENIED, submit(c, "NoSuchTemplate"));
    assertEquals(HResult.CERTSRV_E_UNSUPPORTED_CERT_TYPE, c.getLastStatus());

    assertEquals(Disposition.CR_DISP_UNDER_SUBMISSION, submit(c, "ManagerApproval"));
    int id = c.getRequestId();
    stack.server.admin().denyCaRequest(id, "not today");
    assertEquals(Disposition.CR_DISP_DENIED, c.retrievePending(id, config));
    assertEquals(HResult.CERTSRV_E_ADMIN_DENIED_REQUEST, c.getLastStatus());
    assertTrue(c.getDispositionMessage().contains("not today"), c.getDispositionMessage());
  }

  /** certrsob.asp as AD CS renders it: a title and a sentence, no request id. */
  static final byte[] OUT_OF_BAND_PAGE = ("<HTML><Head><Title>Microsoft Certificate Services</Title></Head><Body>"
      + "<P ID=locPageTitle> <B> Certificate Issued Out Of Band </B><P ID=locInfo> The certificate you requested "
      + "was given to you, however, this wizard cannot install it.</P></Body></HTML>")
      .getBytes(java.nio.charset.StandardCharsets.UTF_8);

  @Test
  void issuedOutOfBand_isDisposition4_withoutARequestId() throws Exception {
    stack.server.faults().replaceResponse("POST", "/certsrv/certfnsh\\.asp$", 1, 200, "text/html", OUT_OF_BAND_PAGE);
    CertsrvClient c = client(stack);
    assertEquals(Disposition.CR_DISP_ISSUED_OUT_OF_BAND, submit(c, "User"));
    assertEquals(0, c.getRequestId());
    assertEquals(HResult.S_OK, c.getLastStatus());
    assertEquals("Issued out of band", c.getDispositionMessage());
  }

  @Test
  void revokedCertificate_isRevokedOnRetrieval() throws Exception {
    CertsrvClient c = client(stack);
    assertEquals(Disposition.CR_DISP_ISSUED, submit(c, "User"));
    X509Certificate leaf = cert(bytes(c.getCertificate(OutputFlags.CR_OUT_BINARY)));
    stack.server.admin().revoke(leaf.getSerialNumber());
    assertEquals(Disposition.CR_DISP_REVOKED, c.retrievePending(c.getRequestId(), config));
    assertEquals("Revoked", c.getDispositionMessage());
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, failure(() -> c.getCertificate(0)).hresult());
  }

  @Test
  void unknownOrForeignRequest_andBrokenRequest_areFailedCalls() throws Exception {
    CertsrvClient c = client(stack);
    CertSrvException e = failure(() -> c.retrievePending(987654, config));
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, e.hresult(), e.getMessage());
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, c.getLastStatus());
    assertEquals(0, c.getRequestId());

    assertEquals(Disposition.CR_DISP_ISSUED, submit(c, "User"));
    int alices = c.getRequestId();
    CertsrvClient bob = client(stack, Credentials.basic("bob",
        stack.server.generatedPassword("bob").orElseThrow().toCharArray()));
    assertEquals(HResult.E_ACCESSDENIED, failure(() -> bob.retrievePending(alices, config)).hresult());

    String notACsr = "-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n";
    assertEquals(HResult.ERROR_INVALID_DATA, failure(() -> c.submit(RequestFlags.CR_IN_BASE64HEADER, notACsr,
        "CertificateTemplate:User", config)).hresult());
    assertEquals(HResult.ERROR_INVALID_DATA, c.getLastStatus());
  }

  @Test
  void caCertificateChainCrlsAndProperties() throws Exception {
    CertsrvClient c = client(stack);
    X509Certificate issuing = stack.server.trustAnchors().get(1);
    assertEquals(issuing, cert(bytes(c.getCACertificate(0, config, OutputFlags.CR_OUT_BINARY))));
    assertEquals(HResult.S_OK, c.getLastStatus());
    assertEquals(2, new CMSSignedData(bytes(c.getCACertificate(0, config, OutputFlags.CR_OUT_CHAIN
        | OutputFlags.CR_OUT_BINARY))).getCertificates().getMatches(null).size());
    assertEquals(HResult.E_NOTIMPL, failure(() -> c.getCACertificate(1, config, 0)).hresult());

    assertEquals(1, c.getCAProperty(config, CaProperty.CASIGCERTCOUNT.id(), 0, PropType.PROPTYPE_LONG, 0));
    for (int index : new int[] {0, -1}) {
      assertEquals(issuing, cert(bytes(c.getCAProperty(config, CaProperty.CASIGCERT.id(), index,
          PropType.PROPTYPE_BINARY, OutputFlags.CR_OUT_BINARY))));
    }
    assertEquals(HResult.E_INVALIDARG, failure(() -> c.getCAProperty(config, CaProperty.CASIGCERT.id(), 1,
        PropType.PROPTYPE_BINARY, OutputFlags.CR_OUT_BINARY)).hresult(), "there is no CA certificate 1");
    assertEquals(2, new CMSSignedData(bytes(c.getCAProperty(config, CaProperty.CASIGCERTCHAIN.id(), 0,
        PropType.PROPTYPE_BINARY, OutputFlags.CR_OUT_BINARY))).getCertificates().getMatches(null).size());

    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes(
        c.getCAProperty(config, CaProperty.BASECRL.id(), 0, PropType.PROPTYPE_BINARY, OutputFlags.CR_OUT_BINARY))));
    crl.verify(issuing.getPublicKey());
    assertTrue(((String) c.getCAProperty(config, CaProperty.BASECRL.id(), 0, PropType.PROPTYPE_BINARY,
        OutputFlags.CR_OUT_BASE64HEADER)).startsWith("-----BEGIN X509 CRL-----"));
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, failure(() -> c.getCAProperty(config, CaProperty.DELTACRL.id(),
        0, PropType.PROPTYPE_BINARY, OutputFlags.CR_OUT_BINARY)).hresult(), "cmserver publishes no delta CRL");
    assertEquals(PropType.CA_DISP_VALID, c.getCAProperty(config, CaProperty.CRLSTATE.id(), 0, PropType.PROPTYPE_LONG,
        0));
    assertEquals(PropType.CA_DISP_VALID, c.getCAProperty(config, CaProperty.CACERTSTATE.id(), -1,
        PropType.PROPTYPE_LONG, 0));
    assertEquals("tokenroll Test Issuing CA", c.getCAProperty(config, CaProperty.CANAME.id(), 0,
        PropType.PROPTYPE_STRING, 0));
    assertEquals(HResult.E_NOTIMPL, failure(() -> c.getCAProperty(config, CaProperty.TEMPLATES.id(), 0,
        PropType.PROPTYPE_STRING, 0)).hresult());
    assertEquals(HResult.E_INVALIDARG, failure(() -> c.getCAProperty(config, CaProperty.CASIGCERTCOUNT.id(), 0,
        PropType.PROPTYPE_STRING, 0)).hresult(), "wrong PropType");
    assertEquals(PropType.PROPTYPE_LONG | PropType.PROPFLAGS_INDEXED,
        c.getCAPropertyFlags(config, CaProperty.CRLSTATE.id()));
    assertEquals("CA Signature Certificate Count", c.getCAPropertyDisplayName(config,
        CaProperty.CASIGCERTCOUNT.id()));
  }

  @Test
  void authentication_basicFailuresAndTlsTrust() throws Exception {
    CertsrvClient wrong = client(stack, Credentials.basic(stack.user, "not-the-password".toCharArray()));
    CertSrvException e = failure(() -> wrong.getCACertificate(0, config, 0));
    assertEquals(HResult.HTTP_E_STATUS_DENIED, e.hresult(), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-password"));
    assertEquals(HResult.HTTP_E_STATUS_DENIED, failure(() -> client(stack, Credentials.NONE)
        .retrievePending(1, config)).hresult());

    CertsrvClient untrusting = new CertsrvClient(CertsrvConnector.of(TlsSettings.verifying(List.of()),
        Credentials.basic(stack.user, Backends.readSecret(stack.password).toCharArray())));
    assertEquals(HResult.ERROR_WINHTTP_SECURE_FAILURE, failure(() -> untrusting.getCACertificate(0, config, 0))
        .hresult(), "the server's CA is not trusted");
    assertEquals(HResult.HTTP_E_STATUS_NOT_FOUND, failure(() -> client(stack).getCACertificate(0,
        stack.server.baseUri() + "nocertsrv", 0)).hresult());
  }
}
