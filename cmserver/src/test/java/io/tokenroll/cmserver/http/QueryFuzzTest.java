package io.tokenroll.cmserver.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Query strings and form bodies (the /certsrv pages post forms): a map of values, or a 400 {@link HttpError}. */
class QueryFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void parse(byte[] data) {
    String raw = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1); // as Front reads a form body
    try {
      Front.parseQuery(raw).forEach((k, v) -> {
        if (k == null || v == null) {
          throw new AssertionError("a null name or value");
        }
      });
    } catch (HttpError refused) {
      if (refused.status() != 400) {
        throw new AssertionError("not a 400: " + refused.status());
      }
    }
  }
}
