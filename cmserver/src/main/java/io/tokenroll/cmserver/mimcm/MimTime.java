package io.tokenroll.cmserver.mimcm;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as MIM's JSON shows them: UTC with a {@code Z} and the fraction trimmed of trailing zeros
 * ({@code 2015-07-07T23:36:21.93Z}); {@code 0001-01-01T00:00:00} (.NET DateTime.MinValue, no zone) for "never";
 * and local times without a zone in certificate listings.
 */
public final class MimTime {
  public static final String NEVER = "0001-01-01T00:00:00";
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private MimTime() {
  }

  public static String utc(Instant t) {
    Instant centis = t.truncatedTo(ChronoUnit.MILLIS);
    StringBuilder s = new StringBuilder(24).append(LOCAL.format(LocalDateTime.ofInstant(centis, ZoneOffset.UTC)));
    int millis = centis.getNano() / 1_000_000;
    if (millis != 0) {
      s.append('.').append((char) ('0' + millis / 100));
      if (millis % 100 != 0) {
        s.append((char) ('0' + millis / 10 % 10));
        if (millis % 10 != 0) {
          s.append((char) ('0' + millis % 10));
        }
      }
    }
    return s.append('Z').toString();
  }

  public static String now() {
    return utc(Instant.now());
  }

  /** Local wall-clock time of the server, no zone: how MIM lists certificate validity. */
  public static String local(Instant t) {
    return LOCAL.format(LocalDateTime.ofInstant(t, java.time.ZoneId.systemDefault()));
  }
}
