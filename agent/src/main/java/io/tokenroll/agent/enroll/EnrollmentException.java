package io.tokenroll.agent.enroll;

/** An enrollment cannot go on as asked; the message says why and what to do. */
public class EnrollmentException extends Exception {
  public EnrollmentException(String message) {
    super(message);
  }

  public EnrollmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
