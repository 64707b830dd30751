package io.tokenroll.agent.enroll;

/** The result of one step: what the enrollment looks like now and when to step it again. */
public record Step(Enrollment enrollment, Wake wake, String message) {
  /** When the next step can run. */
  public enum Wake {
    /** Immediately. */
    NOW,
    /** Not until something outside changes (an approval on the server). */
    PARKED,
    /** Not by itself: the server stayed unreachable through the retries; try again later. */
    STUCK,
    /** Never: the enrollment reached a final state. */
    DONE
  }

  public static Step now(Enrollment e) {
    return new Step(e, Wake.NOW, null);
  }
}
