package io.tokenroll.agent.certsrv;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.HResult;
import java.net.URI;
import org.junit.jupiter.api.Test;

class CertsrvConnectorTest {
  @Test
  void config_isTheWebEnrollmentUrl() throws Exception {
    assertEquals(URI.create("https://ca.example.com/certsrv/"),
        CertsrvConnector.parseConfig(" https://ca.example.com/certsrv "));
    assertEquals(URI.create("https://ca.example.com:8443/"),
        CertsrvConnector.parseConfig("https://ca.example.com:8443"));
    for (String bad : new String[] {"", "ca.example.com\\Contoso CA", "ftp://ca/certsrv", "https://u:p@ca/certsrv",
        "https://ca/certsrv?x=1", "https:///certsrv"}) {
      CertSrvException e = assertThrows(CertSrvException.class, () -> CertsrvConnector.parseConfig(bad), bad);
      assertEquals(HResult.E_INVALIDARG, e.hresult(), bad);
    }
  }
}
