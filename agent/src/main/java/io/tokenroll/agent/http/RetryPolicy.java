package io.tokenroll.agent.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries with exponential backoff and full jitter: attempt n waits a random time up to
 * min(cap, base·2ⁿ). After {@code attempts} tries the failure is reported; nothing loops forever.
 */
public record RetryPolicy(int attempts, Duration base, Duration cap) {
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(20));
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("at least one attempt");
    }
  }

  /** The pause before retry number {@code retry} (1-based). */
  public Duration delayBefore(int retry) {
    long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(retry - 1, 20));
    return Duration.ofMillis(ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }
}
