package io.tokenroll.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.agent.response.InvalidResponseException;
import io.tokenroll.agent.response.PfxContents;

/** PFX (PKCS#12) answers opened with a pfxpassword; refusals are {@link InvalidResponseException}, nothing else. */
class PfxFuzzTest {
  private static final char[] PASSWORD = "fuzz-pfx-password".toCharArray();

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void open(byte[] data) {
    try {
      PfxContents.open(data, PASSWORD);
    } catch (InvalidResponseException refused) {
      // the only way to say no
    }
  }
}
