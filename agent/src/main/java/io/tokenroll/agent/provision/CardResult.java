package io.tokenroll.agent.provision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What provisioning did to one card, for the report a helpdesk archives: the token, how it ended and why, the
 * enrollment that holds its history, the certificates it got, and the time each step took.
 *
 * @param steps milliseconds per enrollment state, in the order the steps ran (a state run twice adds up)
 */
public record CardResult(String token, String serial, Outcome outcome, String reason,
                         io.tokenroll.agent.enroll.EnrollmentId enrollment,
                         List<Certificate> certificates, long millis, Map<String, Long> steps) {

  /** How a card ended. */
  public enum Outcome {
    /** New certificates are on the card. */
    ENROLLED,
    /** It already held a current certificate of the template (journaled), and --force was not given. */
    SKIPPED,
    /** The enrollment waits: for an approval, a PIN, the card; the journal keeps it for 'tokenroll resume'. */
    WAITING,
    /** It did not get its certificates; the reason says why and whether the journal keeps it. */
    FAILED;

    /** Whether the run as a whole succeeded with a card that ended so. */
    public boolean isSuccess() {
      return this == ENROLLED || this == SKIPPED;
    }
  }

  /** A certificate now on the card. */
  public record Certificate(String serial,
                            @com.fasterxml.jackson.databind.annotation.JsonSerialize(
                                using = com.fasterxml.jackson.databind.ser.std.ToStringSerializer.class)
                            Instant notAfter) {
  }
}
