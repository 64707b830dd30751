package io.tokenroll.pkcs11.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.pkcs11.Pkcs11Uri;

/**
 * PKCS#11 URIs (RFC 7512) as users and journals give them: refused with an IllegalArgumentException, or parsed —
 * and then written out and parsed again to the same URI.
 */
class Pkcs11UriFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void parse(byte[] data) {
    String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
    Pkcs11Uri uri;
    try {
      uri = Pkcs11Uri.parse(text);
    } catch (IllegalArgumentException refused) {
      return;
    }
    uri.token();
    uri.serial();
    uri.slotId();
    uri.id();
    uri.pinSource();
    uri.selectsToken();
    Pkcs11Uri again = Pkcs11Uri.parse(uri.toString());
    if (!again.equals(uri)) {
      throw new AssertionError("'" + text + "' -> '" + uri + "' -> '" + again + "'");
    }
  }
}
