package io.tokenroll.cmserver;

import java.io.IOException;

/** In-memory servers on an ephemeral loopback port with two known users. */
final class Servers {
  static final String ALICE_PASSWORD = "alice-test-password";
  static final String BOB_PASSWORD = "bob-test-password";

  private Servers() {
  }

  static CmServerConfig config() {
    return CmServerConfig.defaults().withPort(0).withStateDirectory(null)
        .withUser("alice", ALICE_PASSWORD, "alice@example.test")
        .withUser("bob", BOB_PASSWORD, "bob@example.test");
  }

  static CmServer start() throws IOException {
    return CmServer.start(config());
  }

  static TestClient alice(CmServer s) {
    return new TestClient(s, "alice", ALICE_PASSWORD);
  }

  static TestClient bob(CmServer s) {
    return new TestClient(s, "bob", BOB_PASSWORD);
  }
}
