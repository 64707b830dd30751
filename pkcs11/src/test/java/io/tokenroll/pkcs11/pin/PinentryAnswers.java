package io.tokenroll.pkcs11.pin;

import java.io.IOException;
import java.io.InputStream;

/** Test access to the GETPIN answer reader, for the fuzz target in another package. */
public final class PinentryAnswers {
  private PinentryAnswers() {
  }

  public static char[] read(InputStream in) throws IOException {
    return PinentryPinSource.readPin(in);
  }
}
