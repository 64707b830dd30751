package io.tokenroll.agent.certsrv;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.certsrv.FakeCertsrv.Answer;
import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.RetryPolicy;
import io.tokenroll.agent.http.TlsSettings;
import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.FullResponseProperty;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's state and checks against a scripted /certsrv; the real CA is exercised by the e2e tests. */
class CertsrvClientTest {
  private static final String CSR =
      "-----BEGIN CERTIFICATE REQUEST-----\nMIIBAAAA\n-----END CERTIFICATE REQUEST-----\n";
  private static final String CER = "application/pkix-cert";
  private static final String P7B = "application/x-pkcs7-certificates";

  private FakeCertsrv fake;
  private CertsrvClient client;
  private TestCerts certs;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeCertsrv();
    certs = new TestCerts();
    client = new CertsrvClient(new CertsrvConnector(TlsSettings.verifying(List.of()), Credentials.NONE,
        RetryPolicy.NONE, Duration.ofSeconds(10), 1 << 20));
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private int submit() throws CertSrvException {
    return client.submit(RequestFlags.CR_IN_BASE64HEADER | RequestFlags.CR_IN_PKCS10, CSR,
        "CertificateTemplate:User", fake.config());
  }

  private CertSrvException failure(Executable e) {
    return assertThrows(CertSrvException.class, e::run);
  }

  private interface Executable {
    void run() throws Exception;
  }

  @Test
  void submitIssued_cachesTheOutcome_andFetchesTheCertificateOnce() throws Exception {
    fake.answer("certfnsh.asp", Answer.html(AdcsPages.issued(12)))
        .answer("certnew.cer?ReqID=12&Enc=bin", Answer.bytes(CER, certs.leaf.getEncoded()))
        .answer("certnew.p7b?ReqID=12&Enc=bin", Answer.bytes(P7B, TestCerts.pkcs7(certs.leaf, certs.ca)));
    assertEquals(Disposition.CR_DISP_ISSUED, submit());
    assertEquals(12, client.getRequestId());
    assertEquals(HResult.S_OK, client.getLastStatus());
    assertEquals("Issued", client.getDispositionMessage());

    String bstr = client.getCertificate(OutputFlags.CR_OUT_BINARY);
    assertArrayEquals(certs.leaf.getEncoded(), bstr.getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(client.getCertificate(OutputFlags.CR_OUT_BASE64HEADER).startsWith("-----BEGIN CERTIFICATE-----\r\n"));
    String chain = client.getCertificate(OutputFlags.CR_OUT_CHAIN | OutputFlags.CR_OUT_BINARY);
    assertEquals(2, new org.bouncycastle.cms.CMSSignedData(chain.getBytes(StandardCharsets.ISO_8859_1))
        .getCertificates().getMatches(null).size());
    assertEquals(1, fake.seen.stream().filter(s -> s.pathAndQuery().contains("certnew.cer")).count(), "cached");

    FakeCertsrv.Seen post = fake.seen.get(0);
    assertEquals("POST", post.method());
    assertTrue(post.userAgent().startsWith("Mozilla/5.0"), post.userAgent());
    assertTrue(post.body().startsWith("Mode=newreq&CertRequest=MIIBAAAA"), post.body());
    assertTrue(post.body().contains("&CertAttrib=CertificateTemplate%3AUser&"), post.body());
    assertTrue(post.body().endsWith("&TargetStoreFlags=0&SaveCert=yes"), post.body());
  }

  @Test
  void pendingThenDenied_statusFollowsTheLastCall() throws Exception {
    fake.answer("certfnsh.asp", Answer.html(AdcsPages.pending(30)));
    assertEquals(Disposition.CR_DISP_UNDER_SUBMISSION, submit());
    assertEquals(30, client.getRequestId());
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, failure(() -> client.getCertificate(0)).hresult());

    fake.answer("certfnsh.asp", Answer.html(AdcsPages.denied(30)));
    assertEquals(Disposition.CR_DISP_DENIED, client.retrievePending(30, fake.config()));
    assertEquals(HResult.CERTSRV_E_TEMPLATE_DENIED, client.getLastStatus());
    assertTrue(fake.seen.get(1).body().equals("Mode=chkpnd&ReqID=30"), fake.seen.get(1).body());
    assertTrue(client.getErrorMessageText(client.getLastStatus(), OutputFlags.CR_GEMT_HRESULT_STRING)
        .endsWith("0x80094012 (-2146877422)"));

    fake.answer("certfnsh.asp", Answer.html(AdcsPages.pending(31)));
    CertSrvException e = failure(() -> client.retrievePending(30, fake.config()));
    assertEquals(HResult.ERROR_INVALID_DATA, e.hresult(), "an answer about another request");
    assertEquals(HResult.ERROR_INVALID_DATA, client.getLastStatus());
    assertEquals(0, client.getRequestId(), "nothing cached from a refused answer");
  }

  @Test
  void errorPageWithoutRequestId_isThrown_andRemembered() throws Exception {
    fake.answer("certfnsh.asp", Answer.html(AdcsPages.INVALID_REQUEST));
    assertEquals(HResult.ERROR_INVALID_DATA, failure(this::submit).hresult());
    assertEquals(HResult.ERROR_INVALID_DATA, client.getLastStatus());
    assertEquals("The data is invalid.", client.getDispositionMessage());
  }

  @Test
  void wrongContentTypesRedirectsAndChainsWithoutTheLeaf_areRefused() throws Exception {
    fake.answer("certfnsh.asp", Answer.html(AdcsPages.issued(12)))
        .answer("certnew.cer?ReqID=12&Enc=bin", Answer.bytes("application/octet-stream", certs.leaf.getEncoded()));
    submit();
    CertSrvException e = failure(() -> client.getCertificate(OutputFlags.CR_OUT_BINARY));
    assertEquals(HResult.ERROR_INVALID_DATA, e.hresult());
    assertTrue(e.getMessage().contains("Content-Type 'application/octet-stream'"), e.getMessage());

    fake.answer("certnew.cer?ReqID=12&Enc=bin", Answer.bytes(CER, certs.leaf.getEncoded()))
        .answer("certnew.p7b?ReqID=12&Enc=bin", Answer.bytes(P7B, TestCerts.pkcs7(certs.ca)));
    e = failure(() -> client.getCertificate(OutputFlags.CR_OUT_CHAIN));
    assertTrue(e.getMessage().contains("does not hold the certificate"), e.getMessage());

    fake.answer("certnew.cer?ReqID=12&Enc=bin", Answer.bytes(CER, "-----BEGIN CERTIFICATE-----".getBytes()));
    submit();
    assertEquals(HResult.ERROR_INVALID_DATA, failure(() -> client.getCertificate(0)).hresult());

    fake.answer("certfnsh.asp", Answer.bytes("application/json", "{\"ok\":true}".getBytes()));
    assertEquals(HResult.ERROR_INVALID_DATA, failure(this::submit).hresult());
    fake.answer("certfnsh.asp", new Answer(302, "text/html", new byte[0], Map.of("Location", "/adfs/ls")));
    e = failure(this::submit);
    assertEquals(HResult.HTTP_E_STATUS_UNEXPECTED, e.hresult());
    assertTrue(e.getMessage().contains("redirect to /adfs/ls"), e.getMessage());
    fake.answer("certfnsh.asp", new Answer(401, "text/html", "<h1>401</h1>".getBytes(), Map.of()));
    assertEquals(HResult.HTTP_E_STATUS_DENIED, failure(this::submit).hresult());
  }

  @Test
  void caCertificateAndProperties_comeFromTheirPages() throws Exception {
    fake.answer("certcarc.asp", Answer.html(AdcsPages.caPage(1)))
        .answer("certnew.cer?ReqID=CACert&Renewal=1&Enc=bin", Answer.bytes(CER, certs.ca.getEncoded()))
        .answer("certnew.cer?ReqID=CACert&Renewal=0&Enc=bin", Answer.bytes(CER, certs.leaf.getEncoded()))
        .answer("", Answer.html(AdcsPages.pending(1)));
    String pem = client.getCACertificate(0, fake.config(), OutputFlags.CR_OUT_BASE64HEADER);
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"));
    assertEquals(2, client.getCAProperty(fake.config(), CaProperty.CASIGCERTCOUNT.id(), 0, PropType.PROPTYPE_LONG,
        0));
    assertEquals(PropType.CA_DISP_VALID, client.getCAProperty(fake.config(), CaProperty.CACERTSTATE.id(), 1,
        PropType.PROPTYPE_LONG, 0));
    assertEquals("contoso-DC01-CA", client.getCAProperty(fake.config(), CaProperty.CANAME.id(), 0,
        PropType.PROPTYPE_STRING, 0));
    CertSrvException e = failure(() -> client.getCAProperty(fake.config(), CaProperty.CASIGCERT.id(), 0,
        PropType.PROPTYPE_BINARY, 0));
    assertTrue(e.getMessage().contains("not a CA certificate"), e.getMessage());
    assertEquals(HResult.E_NOTIMPL, failure(() -> client.getCAProperty(fake.config(), CaProperty.TEMPLATES.id(), 0,
        PropType.PROPTYPE_STRING, 0)).hresult());
    assertEquals(HResult.E_INVALIDARG, failure(() -> client.getCAProperty(fake.config(), CaProperty.CANAME.id(), 0,
        PropType.PROPTYPE_LONG, 0)).hresult());
    assertEquals(HResult.E_INVALIDARG, failure(() -> client.getCAProperty(fake.config(), 999, 0,
        PropType.PROPTYPE_LONG, 0)).hresult());
    assertEquals(HResult.E_NOTIMPL, failure(() -> client.getCACertificate(1, fake.config(), 0)).hresult());
    assertEquals(HResult.E_NOTIMPL, client.getLastStatus(), "GetCACertificate sets the last status");
  }

  @Test
  void whatWebEnrollmentCannotAnswer_withoutAnyRequest() throws Exception {
    assertEquals(0x10003, client.getCAPropertyFlags(fake.config(), CaProperty.CASIGCERT.id()));
    assertEquals("CA Name", client.getCAPropertyDisplayName(fake.config(), CaProperty.CANAME.id()));
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, failure(() -> client.getFullResponseProperty(
        FullResponseProperty.FULLRESPONSE.id(), 0, PropType.PROPTYPE_BINARY, OutputFlags.CR_OUT_BINARY)).hresult());
    assertEquals(HResult.E_INVALIDARG, failure(() -> client.getFullResponseProperty(99, 0, 1, 0)).hresult());
    assertEquals(HResult.E_NOTIMPL, failure(() -> client.getIssuedCertificate(fake.config(), -1, "1a2b")).hresult());
    assertEquals(HResult.E_INVALIDARG, failure(() -> client.retrievePending(0, fake.config())).hresult());
    assertEquals(HResult.E_NOTIMPL, failure(() -> client.submit(RequestFlags.CR_IN_KEYGEN, CSR, "", fake.config()))
        .hresult());
    assertEquals(HResult.E_INVALIDARG, failure(() -> client.submit(0, CSR, "", "host\\CA")).hresult());
    assertEquals(HResult.E_INVALIDARG, client.getLastStatus());
    assertTrue(fake.seen.isEmpty(), "nothing was sent");
  }
}
