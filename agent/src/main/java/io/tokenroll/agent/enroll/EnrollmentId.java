package io.tokenroll.agent.enroll;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An enrollment's id: when it was made and a random part ({@code 20261204T211855-6a1ec5e5}). It names the
 * journal's file, the claim's and the request's nonce, so it is a plain name — never a path — whatever a journal
 * file or a command line holds.
 */
public record EnrollmentId(String value) {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

  public EnrollmentId {
    if (value == null || !PLAIN.matcher(value).matches()) {
      throw new IllegalArgumentException("an enrollment id is a plain name of at most 80 letters, digits, '.', '_'"
          + " and '-'");
    }
  }

  /** A new id, made now. */
  public static EnrollmentId next() {
    return new EnrollmentId(Instant.now().toString().replaceAll("[-:]", "").replaceAll("\\..*", "") + "-"
        + UUID.randomUUID().toString().substring(0, 8));
  }

  /** The id a text is, if it is one (a user's text may be a prefix, or anything). */
  public static Optional<EnrollmentId> parse(String text) {
    return text != null && PLAIN.matcher(text).matches() ? Optional.of(new EnrollmentId(text)) : Optional.empty();
  }

  @JsonCreator
  static EnrollmentId fromJournal(String value) {
    return new EnrollmentId(value);
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
