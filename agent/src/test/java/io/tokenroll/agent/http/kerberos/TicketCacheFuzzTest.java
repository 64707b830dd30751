package io.tokenroll.agent.http.kerberos;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/** The ticket cache reader: a result or an IOException, nothing else, for any bytes in the cache file. */
class TicketCacheFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void parse(byte[] data) {
    try {
      TicketCache c = TicketCache.parse(data);
      c.tgt(null);
      c.defaultPrincipal().length();
    } catch (IOException refused) {
      // the only expected failure
    }
  }
}
