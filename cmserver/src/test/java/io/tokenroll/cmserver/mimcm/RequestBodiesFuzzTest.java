package io.tokenroll.cmserver.mimcm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.cmserver.http.Json;
import java.util.List;

/**
 * cmserver's CM API request bodies — POST requests, certificatedata's CSR list and each CSR checked against the
 * generation options — as it reads them from a client: a value, or an {@link HttpError} (a 4xx with a message).
 * Anything else thrown would be a 500.
 */
class RequestBodiesFuzzTest {
  private static final CertificateEntry RSA = new CertificateEntry("SmartcardLogon", "Logon", "CN=x", "RSA", 2048,
      "SHA256", List.of(), 0, 0, 2, false, false, false);
  private static final CertificateEntry EC = new CertificateEntry("SmartcardLogonEC", "Logon", "CN=x",
      "ECDSA_P256", 256, "SHA256", List.of(), 0, 0, 2, false, false, false);

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void body(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int which = (data[0] & 0xff) % 3; // the first byte picks the body: 0 POST requests, 1 certificatedata, 2 a CSR
    byte[] body = java.util.Arrays.copyOfRange(data, 1, data.length);
    try {
      switch (which) {
        case 0 -> RequestBodies.newRequest(body);
        case 1 -> RequestBodies.certificateRequests(Json.read(body));
        default -> {
          String csr = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
          CsrCheck.verified(csr, body.length % 2 == 0 ? RSA : EC, 1);
        }
      }
    } catch (HttpError refused) {
      if (refused.status() >= 500) {
        throw new AssertionError("a 5xx for a client's body: " + refused.getMessage());
      }
    }
  }
}
