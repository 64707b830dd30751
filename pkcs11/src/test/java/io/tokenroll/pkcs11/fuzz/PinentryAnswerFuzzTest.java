package io.tokenroll.pkcs11.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/** Whatever a pinentry program answers to GETPIN: a PIN or an IOException, nothing else. */
class PinentryAnswerFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void readPin(byte[] data) {
    try {
      char[] pin = io.tokenroll.pkcs11.pin.PinentryAnswers.read(new ByteArrayInputStream(data));
      java.util.Arrays.fill(pin, '\0');
    } catch (IOException refused) {
      // the only expected failure
    }
  }
}
