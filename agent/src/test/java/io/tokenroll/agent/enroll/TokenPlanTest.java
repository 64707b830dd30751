package io.tokenroll.agent.enroll;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.TokenInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a rule asks for a present token, decided from the journal alone. */
class TokenPlanTest {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
  static final TokenInfo TOKEN = new TokenInfo(1, "slot", "alice", "0001", "SoftHSM project", "SoftHSM v2",
      Set.of(TokenInfo.Flag.TOKEN_INITIALIZED), null, null, List.of());
  static final TokenPlan.Target RULE = new TokenPlan.Target(java.nio.file.Path.of(MODULE), "Smart Card Logon", null);

  static Enrollment enrollment(String workflow, EnrollmentState state, Instant created) {
    Enrollment e = Enrollment.create(Workflow.parse(workflow));
    e.state = state;
    e.created = created;
    e.token = new io.tokenroll.pkcs11.TokenRef(java.nio.file.Path.of(MODULE), null, "alice", "0001");
    e.template = "Smart Card Logon";
    return e;
  }

  static Enrollment completed(Instant created, Instant notAfter) {
    Enrollment e = enrollment("Enroll", EnrollmentState.COMPLETED, created);
    ItemOutcome o = ItemOutcome.of(0, "INSTALLED", "x");
    o.keyIndex = 0;
    o.notBefore = created;
    o.notAfter = notAfter;
    e.outcomes.add(o);
    e.renewAfter = created.plus(Duration.between(created, notAfter).multipliedBy(8).dividedBy(10));
    return e;
  }

  @Test
  void aTokenWithNothing_isEnrolled_andAnUnfinishedOne_goesOn() {
    assertInstanceOf(TokenPlan.Enroll.class, TokenPlan.of(RULE, TOKEN, List.of(), NOW));
    Enrollment pending = enrollment("Enroll", EnrollmentState.PENDING_APPROVAL, NOW.minusSeconds(60));
    assertEquals(pending, ((TokenPlan.Resume) TokenPlan.of(RULE, TOKEN, List.of(pending), NOW)).enrollment());
    Enrollment otherToken = enrollment("Enroll", EnrollmentState.PENDING_APPROVAL, NOW);
    otherToken.token = new io.tokenroll.pkcs11.TokenRef(otherToken.token.module(), null, "bob", "0001");
    assertInstanceOf(TokenPlan.Enroll.class, TokenPlan.of(RULE, TOKEN, List.of(otherToken), NOW), "not this token's");
  }

  @Test
  void aCurrentCertificate_isRenewedOnlyOnceDue() {
    Enrollment current = completed(NOW.minus(Duration.ofDays(100)), NOW.plus(Duration.ofDays(265)));
    assertInstanceOf(TokenPlan.Nothing.class, TokenPlan.of(RULE, TOKEN, List.of(current), NOW));
    assertInstanceOf(TokenPlan.Renew.class, TokenPlan.of(RULE, TOKEN, List.of(current), current.renewAfter));
    TokenPlan.Target window = new TokenPlan.Target(java.nio.file.Path.of(MODULE), "Smart Card Logon", Duration.ofDays(300));
    assertInstanceOf(TokenPlan.Nothing.class, TokenPlan.of(window, TOKEN, List.of(current), NOW),
        "a window longer than half the lifetime opens at half, not at once");
    assertInstanceOf(TokenPlan.Renew.class, TokenPlan.of(window, TOKEN, List.of(current),
        NOW.plus(Duration.ofDays(83))), "at half the lifetime");
  }

  @Test
  void aCurrentEnrollmentJournaledWithoutDates_isDatedFromTheToken() {
    Enrollment old = completed(NOW.minus(Duration.ofDays(100)), NOW.plus(Duration.ofDays(265)));
    old.renewAfter = null;
    old.outcomes.get(0).notBefore = null;
    old.outcomes.get(0).notAfter = null;
    old.outcomes.get(0).certificateSerial = "1f";
    assertEquals(old, ((TokenPlan.Undated) TokenPlan.of(RULE, TOKEN, List.of(old), NOW)).current());
    old.outcomes.get(0).certificateSerial = null; // nothing to find it by: left alone, never renewed blindly
    assertInstanceOf(TokenPlan.Nothing.class, TokenPlan.of(RULE, TOKEN, List.of(old), NOW));
  }

  @Test
  void aDeniedAbandonedOrRetiredLast_isLeftToAPerson_notAskedForEveryRound() {
    for (EnrollmentState end : List.of(EnrollmentState.DENIED, EnrollmentState.CANCELED,
        EnrollmentState.ABANDONED)) {
      Enrollment last = enrollment("Enroll", end, NOW);
      assertInstanceOf(TokenPlan.Attention.class, TokenPlan.of(RULE, TOKEN, List.of(last), NOW), end.name());
    }
    Enrollment current = completed(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(35)));
    Enrollment retired = enrollment("Retire", EnrollmentState.COMPLETED, NOW.minus(Duration.ofDays(1)));
    current.supersededBy = retired.id;
    assertInstanceOf(TokenPlan.Attention.class, TokenPlan.of(RULE, TOKEN, List.of(current, retired), NOW),
        "a retired card is not enrolled again by itself");
  }
}
