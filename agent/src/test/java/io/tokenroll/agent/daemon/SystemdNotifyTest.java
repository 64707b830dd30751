package io.tokenroll.agent.daemon;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class SystemdNotifyTest {
  @Test
  void aPath_isNulTerminated_andAnAbstractName_startsWithNul() {
    byte[] path = SystemdNotify.address("/run/systemd/notify");
    assertEquals(1, ByteBuffer.wrap(path).order(ByteOrder.nativeOrder()).getShort(), "AF_UNIX");
    assertEquals(2 + "/run/systemd/notify".length() + 1, path.length);
    assertEquals('/', path[2]);
    assertEquals(0, path[path.length - 1]);

    byte[] abstractName = SystemdNotify.address("@unit/notify");
    assertEquals(2 + "@unit/notify".length(), abstractName.length, "no terminator is counted");
    assertEquals(0, abstractName[2]);
    assertEquals('u', abstractName[3]);
  }

  @Test
  void anythingElse_isNotAnAddress() {
    assertNull(SystemdNotify.address("relative/path"));
    assertNull(SystemdNotify.address("/" + "x".repeat(200)), "longer than sun_path");
  }
}
