package io.tokenroll.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.agent.response.CmcResponse;
import io.tokenroll.agent.response.InvalidResponseException;
import io.tokenroll.agent.response.IssuedChain;
import io.tokenroll.agent.response.ResponseParser;
import java.util.List;

/**
 * The CMC Full PKI Response / PKCS#7 parser and the installer's chain checks on what it returns. The only outcome
 * besides a result is {@link InvalidResponseException}; anything else thrown is a finding.
 */
class CmcResponseFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void parseAndCheck(byte[] data) throws Exception {
    CmcResponse r;
    try {
      r = ResponseParser.parse(data);
    } catch (InvalidResponseException refused) {
      return;
    }
    r.describeStatus();
    for (var cert : r.certificates()) { // as the installer does: each certificate's key as "ours"
      try {
        IssuedChain.forKey(cert.getPublicKey(), r.certificates(), List.of(), false);
      } catch (InvalidResponseException refused) {
        // expected for most
      }
    }
  }
}
