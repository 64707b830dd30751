package io.tokenroll.agent.certsrv;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.HResult;
import org.junit.jupiter.api.Test;

class CertsrvPagesTest {
  private static final String PAGE = "certfnsh.asp";

  private static PageOutcome outcome(String html) throws CertSrvException {
    return CertsrvPages.finishOutcome(html, PAGE);
  }

  private static CertSrvException refused(String html) {
    CertSrvException e = assertThrows(CertSrvException.class, () -> outcome(html));
    assertEquals(HResult.ERROR_INVALID_DATA, e.hresult(), e.getMessage());
    assertTrue(e.getMessage().startsWith("certfnsh.asp answered a page that "), e.getMessage());
    return e;
  }

  @Test
  void issuedPage_givesIssuedWithItsRequestId() throws Exception {
    PageOutcome o = outcome(AdcsPages.issued(23));
    assertEquals(new PageOutcome(Disposition.CR_DISP_ISSUED, 23, HResult.S_OK, "Issued"), o);
  }

  @Test
  void issuedPage_ofTheMinimalFake_ignoresTheCaCertificateLink() throws Exception {
    assertEquals(4242, outcome(AdcsPages.fakeIssued(4242)).requestId());
  }

  @Test
  void pendingPage_givesUnderSubmissionAndTheId() throws Exception {
    PageOutcome o = outcome(AdcsPages.pending(24));
    assertEquals(Disposition.CR_DISP_UNDER_SUBMISSION, o.disposition());
    assertEquals(24, o.requestId());
    assertEquals(HResult.S_OK, o.status());
    assertEquals("Taken Under Submission", o.message());
  }

  @Test
  void deniedPage_givesTheMessageAndHresult() throws Exception {
    PageOutcome o = outcome(AdcsPages.denied(25));
    assertEquals(Disposition.CR_DISP_DENIED, o.disposition());
    assertEquals(25, o.requestId());
    assertEquals(HResult.CERTSRV_E_TEMPLATE_DENIED, o.status());
    assertEquals("Denied by Policy Module 0x80094012, The permissions on the certificate template do not allow "
        + "the current user to enroll for this type of certificate.", o.message());
  }

  @Test
  void errorPageWithThePolicysDenial_isADenial() throws Exception {
    PageOutcome o = outcome(AdcsPages.UNSUPPORTED_TEMPLATE);
    assertEquals(Disposition.CR_DISP_DENIED, o.disposition());
    assertEquals(HResult.CERTSRV_E_UNSUPPORTED_CERT_TYPE, o.status());
    assertTrue(o.message().contains("template that is not supported"), o.message());
  }

  @Test
  void errorPageWithoutRequestId_isAFailedCall() throws Exception {
    PageOutcome o = outcome(AdcsPages.INVALID_REQUEST);
    assertEquals(Disposition.CR_DISP_ERROR, o.disposition());
    assertTrue(o.failedCall());
    assertEquals(HResult.ERROR_INVALID_DATA, o.status());
    assertEquals("The data is invalid.", o.message());
  }

  @Test
  void cmserverPages_parseLikeAdcs() throws Exception {
    String head = "<html><head><title>Microsoft Active Directory Certificate Services</title></head><body>\r\n"
        + "<font ID=locPageTitle>Microsoft Active Directory Certificate Services</font> -- tokenroll CA\r\n";
    String revoked = head + "<P ID=locPageTitle> <B> Certificate Request Denied </B>\r\n<P ID=locPageDesc>Your "
        + "certificate request was denied.\r\n<P>Your Request Id is 7. The disposition message is \"Revoked\".\r\n";
    PageOutcome o = outcome(revoked);
    assertEquals(new PageOutcome(Disposition.CR_DISP_REVOKED, 7, HResult.S_OK, "Revoked"), o);
    String unknown = head + "<P ID=locPageTitle> <B> Error </B>\r\n<P ID=locPageDesc>An unexpected error has "
        + "occurred: no such request\r\n<P>The disposition message is \"The requested property value is empty.\""
        + ".\r\n<P>Error: <LocID ID=locErrorCode>The requested property value is empty. 0x80094004 (-2146877436)"
        + "</LocID>\r\n";
    o = outcome(unknown);
    assertTrue(o.failedCall());
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, o.status());
    assertEquals("tokenroll CA", CertsrvPages.caName(head).orElseThrow());
  }

  @Test
  void contradictoryPages_areRefused() {
    refused(AdcsPages.issued(5) + "<P>Your certificate request was denied.");
    refused(AdcsPages.issued(5) + "<P>Error 0x80094012 (-2146877422)");
    refused(AdcsPages.issued(5) + AdcsPages.issued(6));
    refused(AdcsPages.issued(5) + "<P>Your Request Id is 6.");
    refused(AdcsPages.pending(5) + "<P>Your certificate request was denied.");
    refused(AdcsPages.pending(5).replace("Your Request Id is 5.", ""));
    refused(AdcsPages.pending(5) + "<P>0x80094012 (-2146877422)");
  }

  @Test
  void hresultWhoseHexAndDecimalDisagree_isRefused() {
    CertSrvException e = refused(AdcsPages.denied(5).replace("(-2146877422)", "(-2146877421)"));
    assertTrue(e.getMessage().contains("different number"), e.getMessage());
    refused(AdcsPages.denied(5) + "0x80094011 (-2146877423)");
  }

  @Test
  void pagesThatAreNotWebEnrollment_areRefused() {
    refused("");
    refused("<html><body>Welcome to nginx!</body></html>");
    refused("{\"Message\":\"An error has occurred.\"}");
    refused("<html><body>Sign in to continue<form action=/login></form></body></html>");
    refused(AdcsPages.issued(5).replace("ReqID=5&", "ReqID=99999999999&"));
  }

  @Test
  void hostileMessages_areDecodedStrippedAndCapped() throws Exception {
    String evil = "Denied \u001b[31mby\u202E policy &lt;b&gt; &amp; &#x41;&#66;" + "x".repeat(5000);
    String html = AdcsPages.denied(3).replaceFirst("The disposition message is \"[^\"]*\"\\.",
        "The disposition message is \"" + evil.substring(0, 3000) + "\".");
    PageOutcome o = outcome(html);
    assertEquals(Disposition.CR_DISP_DENIED, o.disposition());
    assertFalse(o.message().chars().anyMatch(c -> c < 0x20 || c == 0x202E), o.message());
    assertTrue(o.message().startsWith("Denied [31mby policy <b> & AB"), o.message());
    assertTrue(o.message().length() <= CertsrvPages.MAX_MESSAGE + 1, "capped");
  }

  @Test
  void deniedPageWithoutCode_takesItFromTheMessageOrSaysUnspecified() throws Exception {
    String noCode = AdcsPages.denied(4).replaceAll("0x80094012 \\(-2146877422\\)", "");
    assertEquals(HResult.CERTSRV_E_TEMPLATE_DENIED, outcome(noCode).status());
    String bare = AdcsPages.HEAD + "<P ID=locPageTitle> <B> Certificate Request Denied </B>\n<P>Your Request Id "
        + "is 4.\n";
    PageOutcome o = outcome(bare);
    assertEquals(Disposition.CR_DISP_DENIED, o.disposition());
    assertEquals(HResult.E_FAIL, o.status());
  }

  @Test
  void errorReport_ofCertnew_givesTheDispositionMessageAndCode() throws Exception {
    var pending = CertsrvPages.errorReport(AdcsPages.notRetrievable("Taken Under Submission", null), "certnew.cer")
        .orElseThrow();
    assertEquals(new CertsrvPages.ErrorReport(HResult.S_OK, "Taken Under Submission"), pending);
    var unknown = CertsrvPages.errorReport(AdcsPages.notRetrievable("The requested property value is empty.",
        "The requested property value is empty. 0x80094004 (-2146877436)"), "certnew.cer").orElseThrow();
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, unknown.status());
    assertEquals("The requested property value is empty.", unknown.message());
    assertTrue(CertsrvPages.errorReport("<html><body>hello</body></html>", "certnew.cer").isEmpty());
  }

  @Test
  void renewalsAndCaName_fromTheirPages() throws Exception {
    assertEquals(2, CertsrvPages.renewals(AdcsPages.caPage(2)));
    assertEquals("contoso-DC01-CA", CertsrvPages.caName(AdcsPages.pending(1)).orElseThrow());
    assertThrows(CertSrvException.class, () -> CertsrvPages.renewals(AdcsPages.HEAD));
    assertThrows(CertSrvException.class, () -> CertsrvPages.renewals(AdcsPages.caPage(1) + AdcsPages.caPage(2)));
    assertTrue(CertsrvPages.caName("<html>no title</html>").isEmpty());
  }
}
