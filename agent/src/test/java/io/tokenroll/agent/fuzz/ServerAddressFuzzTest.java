package io.tokenroll.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.agent.http.ServerAddress;
import java.net.URL;

/**
 * Server URLs as a user or a journal gives them: refused with an IllegalArgumentException, or parsed — and then
 * the URL a connection uses goes to exactly the host every check looked at.
 */
class ServerAddressFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void parse(byte[] data) {
    String both = new String(data, java.nio.charset.StandardCharsets.UTF_8);
    int nul = both.indexOf('\0'); // "url NUL relative path"
    String url = nul < 0 ? both : both.substring(0, nul);
    String relative = nul < 0 ? "" : both.substring(nul + 1);
    ServerAddress a;
    try {
      a = ServerAddress.parse(url);
    } catch (IllegalArgumentException refused) {
      return;
    }
    a.isLoopback();
    URL u;
    try {
      u = a.url(relative);
    } catch (IllegalArgumentException refused) {
      return;
    }
    if (!u.getHost().equalsIgnoreCase(a.host())) {
      throw new AssertionError("checked host " + a.host() + " but would connect to " + u.getHost());
    }
  }
}
