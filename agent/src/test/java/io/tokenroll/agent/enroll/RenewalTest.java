package io.tokenroll.agent.enroll;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When renewal is due: 80% into the shortest-lived certificate of the enrollment's own keys. */
class RenewalTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static ItemOutcome installed(Integer keyIndex, Instant from, Duration lifetime) {
    ItemOutcome o = ItemOutcome.of(0, "INSTALLED", "x");
    o.keyIndex = keyIndex;
    o.notBefore = from;
    o.notAfter = from.plus(lifetime);
    return o;
  }

  @Test
  void theShortestLivedOwnCertificateDecides() {
    ItemOutcome year = installed(0, T0, Duration.ofDays(365));
    ItemOutcome tenDays = installed(1, T0, Duration.ofDays(10));
    ItemOutcome history = installed(null, T0.minus(Duration.ofDays(900)), Duration.ofDays(365)); // a PFX item
    ItemOutcome failed = ItemOutcome.of(3, "FAILED", "refused");
    assertEquals(T0.plus(Duration.ofDays(8)), Renewal.due(List.of(year, tenDays, history, failed), T0));
    assertEquals(T0.plus(Duration.ofDays(292)), Renewal.due(List.of(year, history), T0),
        "a key-history item does not count beside the enrollment's own keys");
  }

  @Test
  void serverGeneratedKeysAlone_countUnlessExpired() {
    ItemOutcome pfx = installed(null, T0, Duration.ofDays(100));
    ItemOutcome expired = installed(null, T0.minus(Duration.ofDays(400)), Duration.ofDays(365));
    assertEquals(T0.plus(Duration.ofDays(80)), Renewal.due(List.of(pfx, expired), T0));
    assertNull(Renewal.due(List.of(expired), T0));
    assertNull(Renewal.due(List.of(), T0));
  }
}
