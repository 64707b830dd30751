package io.tokenroll.cmserver.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Test hook for hostile answers and outages: arm a fault for the next {@code times} requests whose method and
 * path match, and the server replaces, transforms, delays or drops them. Nothing is armed unless a test arms it;
 * the first armed fault that matches a request is used and counted down. Thread-safe.
 */
public final class CmFaults {
  private static final class Armed {
    final String method;
    final Pattern path;
    final Fault fault;
    int remaining;

    Armed(String method, String pathRegex, int times, Fault fault) {
      if (times < 1) {
        throw new IllegalArgumentException("times must be at least 1");
      }
      this.method = method == null || method.equals("*") ? null : method.toUpperCase(Locale.ROOT);
      this.path = Pattern.compile(pathRegex, Pattern.CASE_INSENSITIVE);
      this.fault = fault;
      this.remaining = times;
    }
  }

  private final List<Armed> armed = new ArrayList<>();

  /**
   * Answers the next {@code times} matching requests with {@code status}, {@code contentType} and the raw
   * {@code body} instead of processing them. {@code method} is an HTTP method or {@code *}; {@code pathRegex} is
   * searched for (not anchored, case-insensitive) in the request path, e.g. {@code "/certificatedata$"}.
   */
  public void replaceResponse(String method, String pathRegex, int times, int status, String contentType,
      byte[] body) {
    replaceResponse(method, pathRegex, times, status, contentType, body, java.util.Map.of());
  }

  /** As above, with extra response headers (an impostor's WWW-Authenticate, say). */
  public void replaceResponse(String method, String pathRegex, int times, int status, String contentType,
      byte[] body, java.util.Map<String, String> headers) {
    arm(method, pathRegex, times, new Fault.Replace(status, contentType, body.clone(), headers));
  }

  /** Processes the next matching requests for real and passes each response body through {@code transform}. */
  public void transformResponse(String method, String pathRegex, int times, UnaryOperator<byte[]> transform) {
    arm(method, pathRegex, times, new Fault.Transform(transform));
  }

  /** Waits {@code delay} before processing the next matching requests. */
  public void delay(String method, String pathRegex, int times, Duration delay) {
    arm(method, pathRegex, times, new Fault.Delay(delay));
  }

  /** Closes the connection of the next matching requests without processing or answering them. */
  public void dropConnection(String method, String pathRegex, int times) {
    arm(method, pathRegex, times, new Fault.Drop());
  }

  private synchronized void arm(String method, String pathRegex, int times, Fault fault) {
    armed.add(new Armed(method, pathRegex, times, fault));
  }

  /** Disarms everything. */
  public synchronized void clear() {
    armed.clear();
  }

  /** How many armed uses are left in total; 0 once every fault has fired. */
  public synchronized int remaining() {
    return armed.stream().mapToInt(a -> a.remaining).sum();
  }

  /** The fault for this request, counted down, or empty. Called by the server for every request. */
  public synchronized Optional<Fault> take(String method, String path) {
    for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
      Armed a = it.next();
      if ((a.method == null || a.method.equalsIgnoreCase(method)) && a.path.matcher(path).find()) {
        if (--a.remaining == 0) {
          it.remove();
        }
        return Optional.of(a.fault);
      }
    }
    return Optional.empty();
  }
}
