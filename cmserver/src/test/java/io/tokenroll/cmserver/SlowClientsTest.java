package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.cmserver.http.ClientLimiter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile-test finding 3 (slowloris): eight connections that each sent six bytes of a TLS record blocked every
 * other request for as long as they stayed. Now one address holds at most half the workers while it is still
 * sending, and every connection must deliver its whole request within the request deadline.
 */
class SlowClientsTest {
  /** The first six bytes of a TLS record: a handshake record header and one byte of it, and then nothing. */
  private static final byte[] PARTIAL_TLS = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};

  private static Socket slowClient(CmServer server, InetAddress from, byte[] first) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.baseUri().getPort()), 5000);
    s.getOutputStream().write(first);
    s.getOutputStream().flush();
    return s;
  }

  @Test
  void slowConnectionsFromOneAddress_doNotStopOtherClients_andAreClosedAtTheDeadline() throws Exception {
    int threads = 8;
    try (CmServer server = CmServer.start(Servers.config().withThreads(threads))) {
      TestClient alice = Servers.alice(server);
      assertEquals(200, alice.api("GET", "profiletemplates", null).statusCode());
      InetAddress attacker = InetAddress.getByName("127.0.0.2"); // loopback, but another client address
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 3 * threads; i++) { // three times the workers, each stuck in its TLS handshake
          slow.add(slowClient(server, attacker, PARTIAL_TLS));
        }
        for (int i = 0; i < 20; i++) { // meanwhile, every normal request is answered
          assertEquals(200, alice.api("GET", "profiletemplates", null).statusCode(), "request " + i);
        }
        int closedAtOnce = 0;
        for (Socket s : slow) {
          if (closedByServer(s, 200)) {
            closedAtOnce++;
          }
        }
        assertTrue(closedAtOnce >= 2 * threads - 1, "connections over the per-address limit are closed at once ("
            + closedAtOnce + " of " + slow.size() + ")");
        assertAllClosedAtTheDeadline(slow); // the ones let in must finish their request in time, or are closed
      } finally {
        closeAll(slow);
      }
    }
  }

  @Test
  void aPartialHeaderOrBody_isClosedAtTheDeadline_andOthersAreServedMeanwhile() throws Exception {
    try (CmServer server = CmServer.start(Servers.config().withThreads(4).withPlainHttp(true))) {
      InetAddress attacker = InetAddress.getByName("127.0.0.3");
      List<Socket> slow = new ArrayList<>();
      try {
        slow.add(slowClient(server, attacker, "GET /certsrv/ HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes()));
        slow.add(slowClient(server, attacker, ("POST /certsrv/certfnsh.asp HTTP/1.1\r\nHost: x\r\n"
            + "Content-Length: 1000\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nMode=").getBytes()));
        java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient();
        var r = plain.send(java.net.http.HttpRequest.newBuilder(server.baseUri().resolve("certsrv/")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200 || r.statusCode() == 401, "served while two workers wait: " + r);
        assertAllClosedAtTheDeadline(slow);
      } finally {
        closeAll(slow);
      }
    }
  }

  @Test
  void theLimiter_countsPerAddress_andForgetsWhatTheDeadlineClosed() throws Exception {
    ClientLimiter l = new ClientLimiter(2, 100);
    InetSocketAddress a1 = new InetSocketAddress("127.0.0.2", 1001);
    InetSocketAddress a2 = new InetSocketAddress("127.0.0.2", 1002);
    l.opened(a1);
    l.opened(a2);
    assertThrows(ClientLimiter.TooManyConnectionsException.class,
        () -> l.opened(new InetSocketAddress("127.0.0.2", 1003)));
    l.opened(new InetSocketAddress("127.0.0.1", 1004)); // another address is not affected
    l.requestRead(a1);
    l.opened(new InetSocketAddress("127.0.0.2", 1005)); // a finished request frees its place
    Thread.sleep(150);
    l.opened(new InetSocketAddress("127.0.0.2", 1006)); // stale entries no longer count
    assertEquals(1, l.pending(InetAddress.getByName("127.0.0.2")));
  }

  private static void assertAllClosedAtTheDeadline(List<Socket> slow) throws Exception {
    for (Socket s : slow) {
      assertTrue(closedByServer(s, (CmServer.REQUEST_SECONDS + 20) * 1000), "closed at the request deadline");
    }
  }

  private static void closeAll(List<Socket> sockets) throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
  }

  /** Whether the server closes the connection within {@code millis} (end of stream or reset). */
  private static boolean closedByServer(Socket s, int millis) throws Exception {
    s.setSoTimeout(millis);
    InputStream in = s.getInputStream();
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      return true; // reset
    }
  }
}
