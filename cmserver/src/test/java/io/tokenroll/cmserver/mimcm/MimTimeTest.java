package io.tokenroll.cmserver.mimcm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MimTimeTest {
  @Test
  void utc_trimsTheFractionLikeMimsExample() {
    assertEquals("2015-07-07T23:36:21.93Z", MimTime.utc(Instant.parse("2015-07-07T23:36:21.930Z")));
    assertEquals("2015-07-07T23:36:21Z", MimTime.utc(Instant.parse("2015-07-07T23:36:21Z")));
    assertEquals("2015-07-07T23:36:21Z", MimTime.utc(Instant.parse("2015-07-07T23:36:21.000999Z")));
    assertEquals("2015-07-07T23:36:21.9Z", MimTime.utc(Instant.parse("2015-07-07T23:36:21.900Z")));
    assertEquals("2015-07-07T23:36:21.005Z", MimTime.utc(Instant.parse("2015-07-07T23:36:21.005Z")));
    assertEquals("2015-07-07T23:36:21.05Z", MimTime.utc(Instant.parse("2015-07-07T23:36:21.050Z")));
    assertEquals("2015-07-07T23:36:21.123Z", MimTime.utc(Instant.parse("2015-07-07T23:36:21.123456Z")));
  }
}
