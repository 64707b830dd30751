package io.tokenroll.agent.enroll;

/**
 * Told of each step an enrollment takes, with the state it started from and how long it took: what a live
 * progress display and a report's per-step timings are made of. Called on the thread that runs the enrollment.
 */
@FunctionalInterface
public interface StepObserver {
  StepObserver NONE = (e, from, nanos) -> { };

  void stepped(Enrollment e, EnrollmentState from, long nanos);
}
