package io.tokenroll.agent.certsrv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.protocol.certsrv.CertSrvException;

/**
 * The /certsrv pages as the web enrollment client reads them (certfnsh.asp's outcome, error reports, the renewal
 * count, the CA name): a result, or a {@link CertSrvException} with an HRESULT.
 */
class CertsrvPagesFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void pages(byte[] data) {
    String page = data.length % 2 == 0 ? "certfnsh.asp" : "certnew.cer";
    String html = new String(data, java.nio.charset.StandardCharsets.UTF_8); // as the client decodes a page
    try {
      CertsrvPages.finishOutcome(html, page);
    } catch (CertSrvException refused) {
      // refused with an HRESULT
    }
    try {
      CertsrvPages.errorReport(html, page);
    } catch (CertSrvException refused) {
      // refused with an HRESULT
    }
    try {
      CertsrvPages.renewals(html);
    } catch (CertSrvException refused) {
      // refused with an HRESULT
    }
    CertsrvPages.caName(html);
  }
}
