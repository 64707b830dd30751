package io.tokenroll.agent.enroll;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class EnrollmentStateTest {
  @Test
  void onRestart_inFlightStatesBecomeTheirChecks() {
    assertEquals(EnrollmentState.REQUEST_UNCERTAIN, EnrollmentState.CREATING_REQUEST.onRestart());
    assertEquals(EnrollmentState.SUBMIT_UNCERTAIN, EnrollmentState.SUBMITTING.onRestart());
    assertEquals(EnrollmentState.NEED_KEYS, EnrollmentState.GENERATING_KEY.onRestart());
    assertEquals(EnrollmentState.NEED_INSTALL, EnrollmentState.INSTALLING.onRestart());
    assertEquals(EnrollmentState.CARD_UNCERTAIN, EnrollmentState.BINDING_CARD.onRestart());
  }

  @Test
  void onRestart_isStableAndNeverLeadsToAnotherInFlightState() {
    for (EnrollmentState s : EnrollmentState.values()) {
      assertFalse(s.onRestart().inFlight(), s + " restarts into an in-flight state");
      assertEquals(s.onRestart(), s.onRestart().onRestart());
      assertFalse(s.isFinal() && s.inFlight());
    }
  }
}
