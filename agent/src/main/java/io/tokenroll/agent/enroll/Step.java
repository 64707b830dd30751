package io.tokenroll.agent.enroll;

import java.time.Instant;

/**
 * The result of one run of an enrollment: what it looks like now and when it wants to run next. A step never
 * sleeps: a caller that can wait (the CLI) waits until {@code notBefore}; a scheduler (the agent) files it.
 *
 * @param waiting   what a parked enrollment waits for (null unless {@link Wake#PARKED})
 * @param notBefore when a backing-off enrollment may run again (null unless {@link Wake#BACKING_OFF})
 * @param cause     the failure behind a parked token or PIN, for a caller that reports it as an error
 */
public record Step(Enrollment enrollment, Wake wake, String message, Waiting waiting, Instant notBefore,
                   Exception cause) {
  /** When the next run can happen. */
  public enum Wake {
    /** Immediately. */
    NOW,
    /** The server did not answer: not before {@link #notBefore()}, then again from the journaled state. */
    BACKING_OFF,
    /** Not until something outside changes: see {@link #waiting()}. */
    PARKED,
    /** The server stayed unreachable through every try of this run; a later run goes on. */
    STUCK,
    /** Never: the enrollment reached a final state. */
    DONE
  }

  public Step(Enrollment enrollment, Wake wake, String message) {
    this(enrollment, wake, message, null, null, null);
  }

  public static Step now(Enrollment e) {
    return new Step(e, Wake.NOW, null);
  }

  /** Parked until {@code waiting} changes. */
  public static Step parked(Enrollment e, Waiting waiting, String message, Exception cause) {
    return new Step(e, Wake.PARKED, message, waiting, null, cause);
  }
}
