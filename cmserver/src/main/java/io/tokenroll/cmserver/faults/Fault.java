package io.tokenroll.cmserver.faults;

import java.time.Duration;
import java.util.function.UnaryOperator;

/** What an armed fault does to a matching request. */
public sealed interface Fault {
  /** Answer with this, and these extra headers, instead of the real response (the request is not processed). */
  record Replace(int status, String contentType, byte[] body, java.util.Map<String, String> headers)
      implements Fault {
    public Replace {
      headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
    }
  }

  /** Process the request, then send the real response with its body passed through {@code transform}. */
  record Transform(UnaryOperator<byte[]> transform) implements Fault {
  }

  /** Wait, then process and answer normally. */
  record Delay(Duration delay) implements Fault {
  }

  /** Close the connection without answering (the request is not processed). */
  record Drop() implements Fault {
  }
}
