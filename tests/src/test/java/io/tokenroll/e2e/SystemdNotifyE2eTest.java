package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code Type=notify}: the agent, a child process as systemd runs it, sends READY=1 to the datagram socket in
 * {@code $NOTIFY_SOCKET} once it watches its tokens, and STOPPING=1 on SIGTERM — to a path socket and to an abstract
 * one ("@name"), received by a real AF_UNIX datagram socket (Python's; the JDK cannot bind one).
 */
class SystemdNotifyE2eTest {
  /** Binds the socket, says so, then prints each datagram on one line until STOPPING=1. */
  private static final String RECEIVER = """
      import socket, sys
      name = sys.argv[1]
      s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
      s.bind("\\0" + name[1:] if name.startswith("@") else name)
      print("BOUND", flush=True)
      while True:
          m = s.recv(4096).decode()
          print(m.replace("\\n", "|"), flush=True)
          if "STOPPING=1" in m:
              break
      """;

  @Test
  void readyOnceWatching_andStoppingOnSigterm_toAPathSocket() throws Exception {
    try (Stack s = new Stack("notify-path")) {
      notifies(s, s.dir.resolve("notify.sock").toString());
    }
  }

  @Test
  void readyAndStopping_toAnAbstractSocket() throws Exception {
    try (Stack s = new Stack("notify-abstract")) {
      notifies(s, "@tokenroll-notify-" + Backends.randomHex(6));
    }
  }

  private static void notifies(Stack s, String socket) throws Exception {
    Path cfg = Files.writeString(s.dir.resolve("agent.json"), """
        {"server": {"url": "%s", "trust": "%s",
                    "login": {"method": "basic", "user": "%s", "secretSource": "file:%s"}},
         "rules": [{"name": "absent", "module": "%s", "match": "pkcs11:token=not-here", "template": "Smart Card Logon",
                    "pinSource": "file:%s"}]}
        """.formatted(s.server.baseUri(), s.trust, s.user, s.password, SoftHsm2.LIBRARY, s.token.userPinFile()));
    Process receiver = new ProcessBuilder("python3", "-c", RECEIVER, socket).redirectErrorStream(true).start();
    try {
      BufferedReader heard = new BufferedReader(new InputStreamReader(receiver.getInputStream()));
      assertEquals("BOUND", heard.readLine());
      Map<String, String> env = new HashMap<>(s.token.environment());
      env.put("NOTIFY_SOCKET", socket);
      Process agent = ChildProcess.start(env, List.of("agent", "--config", cfg.toString(), "--state-dir",
          s.state.toString()));
      try {
        String ready = heard.readLine();
        assertNotNull(ready, "the receiver ended");
        assertTrue(ready.startsWith("READY=1|STATUS=1 rule(s)"), ready);
        assertTrue(agent.isAlive(), "ready means running, not ended");
        agent.destroy(); // SIGTERM
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
        assertEquals("STOPPING=1", heard.readLine());
      } finally {
        agent.destroyForcibly();
      }
    } finally {
      receiver.destroyForcibly();
    }
  }
}
