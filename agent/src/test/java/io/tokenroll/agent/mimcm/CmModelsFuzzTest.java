package io.tokenroll.agent.mimcm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.agent.http.ProtocolException;
import java.util.List;

/**
 * Every MIM CM JSON model the agent reads from a server, read as the client reads it: a value, or a
 * {@link ProtocolException} naming the route. The first byte picks the model.
 */
class CmModelsFuzzTest {
  private static final List<Class<?>> MODELS = List.of(Models.ProfileTemplate[].class, Models.Policy.class,
      Models.SmartcardConfiguration.class, Models.CmRequest.class, Models.CmRequest[].class,
      Models.GenerationOption[].class, Models.Smartcard.class, String[].class, Models.CertificateItem[].class);

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void read(byte[] data) {
    if (data.length == 0) {
      return;
    }
    Class<?> type = MODELS.get((data[0] & 0xff) % MODELS.size()); // the first byte picks the model
    byte[] body = java.util.Arrays.copyOfRange(data, 1, data.length);
    try {
      Object value = CmJson.read(body, type, "fuzz");
      if (value instanceof Object[] array) {
        for (Object o : array) {
          o.toString(); // no null items: they would fail far from here
        }
      } else {
        value.toString();
      }
      CmJson.convert(CmJson.tree(body, "fuzz"), type, "fuzz");
    } catch (ProtocolException refused) {
      // the only way to say no
    }
  }
}
