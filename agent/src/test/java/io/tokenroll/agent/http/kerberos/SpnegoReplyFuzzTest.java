package io.tokenroll.agent.http.kerberos;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/** The SPNEGO reply check: passes or throws IOException, for any bytes a server sends. */
class SpnegoReplyFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void check(byte[] data) {
    try {
      SpnegoReply.checkCarriesProof(data);
    } catch (IOException refused) {
      // the only expected failure
    }
  }
}
