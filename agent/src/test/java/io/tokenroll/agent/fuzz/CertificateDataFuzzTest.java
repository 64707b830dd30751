package io.tokenroll.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.agent.http.ProtocolException;
import io.tokenroll.agent.mimcm.MimCmClient;
import io.tokenroll.agent.mimcm.Models.CertificateItem;
import java.util.List;

/**
 * A certificatedata answer body as the agent reads it from a CM server: an array of items or a
 * {@link ProtocolException}. Each item's accessors must then work on whatever the server sent.
 */
class CertificateDataFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void answer(byte[] data) {
    List<CertificateItem> items;
    try {
      items = MimCmClient.certificateItems(data);
    } catch (ProtocolException refused) {
      return;
    }
    for (CertificateItem item : items) {
      if (item == null) {
        throw new AssertionError("a null item got through");
      }
      item.errorText();
      item.pkcs7Item();
      item.pfxItem();
    }
  }
}
