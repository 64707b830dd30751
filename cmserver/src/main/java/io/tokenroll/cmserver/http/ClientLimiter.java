package io.tokenroll.cmserver.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At most {@code perClient} connections from one address between being accepted and having sent a whole first
 * request (TLS handshake, headers, body). The JDK's server reads those on its worker threads, so without a limit a
 * few connections that send a byte at a time hold every worker; with it one address holds at most this many, and
 * the server's request deadline ({@code sun.net.httpserver.maxReqTime}) closes each after a while. A connection
 * over the limit is closed before its handshake.
 */
public final class ClientLimiter {
  private static final Logger LOG = Logger.getLogger(ClientLimiter.class.getName());
  private final int perClient;
  private final long staleNanos;
  /** Connections still sending their first request, by remote address and port: when each started. */
  private final Map<InetSocketAddress, Long> pending = new ConcurrentHashMap<>();

  /**
   * @param staleAfterMillis after this long a pending connection no longer counts: the server's request deadline
   *     has closed it
   */
  public ClientLimiter(int perClient, long staleAfterMillis) {
    this.perClient = perClient;
    this.staleNanos = staleAfterMillis * 1_000_000L;
  }

  /** A connection from {@code remote} starts; refused (the caller closes it) when its address is at the limit. */
  public synchronized void opened(InetSocketAddress remote) { // count and add at once: racing opens cannot both pass
    long now = System.nanoTime();
    InetAddress ip = remote.getAddress();
    int count = 0;
    for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (now - e.getValue() > staleNanos) {
        it.remove();
      } else if (e.getKey().getAddress().equals(ip)) {
        count++;
      }
    }
    if (count >= perClient) {
      LOG.log(Level.FINE, () -> "refused a connection from " + ip + ": " + perClient + " still sending requests");
      throw new TooManyConnectionsException(ip);
    }
    pending.put(remote, now);
  }

  /** The connection from {@code remote} has sent a whole request. */
  public void requestRead(InetSocketAddress remote) {
    if (remote != null) {
      pending.remove(remote);
    }
  }

  /** Connections of one address still sending their first request (for tests). */
  public int pending(InetAddress ip) {
    return (int) pending.keySet().stream().filter(a -> a.getAddress().equals(ip)).count();
  }

  /** Thrown out of the TLS set-up of a connection over the limit; the JDK's server then closes it. */
  public static final class TooManyConnectionsException extends RuntimeException {
    TooManyConnectionsException(InetAddress ip) {
      super("too many connections from " + ip + " are still sending their requests", null, false, false);
    }
  }
}
