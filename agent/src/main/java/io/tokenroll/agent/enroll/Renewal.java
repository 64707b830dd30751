package io.tokenroll.agent.enroll;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When an enrollment's certificates are due for renewal, journaled when they are installed so that a scheduler
 * reads it instead of opening every certificate: once 80% of the shortest-lived certificate's lifetime has passed
 * (Windows autoenrollment's habit for templates without a renewal period; the agent's rules may choose another
 * window). Certificates of keys made for this enrollment count; server-generated and key-history items count only
 * when there are no others, and never once expired.
 */
final class Renewal {
  static final double SHARE_OF_LIFETIME = 0.8;

  private Renewal() {
  }

  static Instant due(List<ItemOutcome> outcomes, Instant now) {
    List<ItemOutcome> installed = outcomes.stream()
        .filter(o -> "INSTALLED".equals(o.result) && o.notBefore != null && o.notAfter != null).toList();
    List<ItemOutcome> ours = installed.stream().filter(o -> o.keyIndex != null).toList();
    List<ItemOutcome> counted = !ours.isEmpty() ? ours
        : installed.stream().filter(o -> o.notAfter.isAfter(now)).toList();
    return counted.stream().map(Renewal::due).min(Instant::compareTo).orElse(null);
  }

  private static Instant due(ItemOutcome o) {
    Duration lifetime = Duration.between(o.notBefore, o.notAfter);
    return o.notBefore.plusMillis((long) (lifetime.toMillis() * SHARE_OF_LIFETIME));
  }
}
