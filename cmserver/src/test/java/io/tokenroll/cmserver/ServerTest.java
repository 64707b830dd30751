package io.tokenroll.cmserver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One in-memory server per test class, on an ephemeral loopback port, with alice's client ready. */
abstract class ServerTest {
  static CmServer server;
  static TestClient alice;

  @BeforeAll
  static void startServer() throws Exception {
    server = Servers.start();
    alice = Servers.alice(server);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }
}
