package io.tokenroll.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.agent.response.Inspector;
import io.tokenroll.agent.response.InvalidResponseException;

/**
 * What 'tokenroll inspect' decodes from a file: certificatedata answers and requests (JSON), PEM, base64 and DER —
 * CMC responses, certificates, CSRs, PFX. Refusals are {@link InvalidResponseException}; nothing else.
 */
class InspectFuzzTest {
  private static final char[] PASSWORD = "fuzz-pfx-password".toCharArray();

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void inspect(byte[] data) {
    try {
      Inspector.inspect(data, data.length % 2 == 0 ? null : PASSWORD);
    } catch (InvalidResponseException refused) {
      // the only way to say no
    }
  }
}
