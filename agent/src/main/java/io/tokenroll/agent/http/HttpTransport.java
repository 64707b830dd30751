package io.tokenroll.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTPS to one server, keep-alive, with bounded retries. Requests that may be repeated safely (GET, PUT) are
 * retried on network errors and 5xx; others only when the connection was never made. 4xx answers fail at once.
 * Bodies are never logged: they can carry secrets (a pfxpassword) and keys.
 */
public final class HttpTransport {
  private static final System.Logger LOG = System.getLogger("io.tokenroll.agent.http");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      io.tokenroll.agent.encoding.BoundedJson.builder().build();

  static {
    // HttpURLConnection answers a Negotiate challenge by itself, with whatever tickets the default cache holds,
    // unless Kerberos credentials must come from the caller's Subject: a request would then silently run as
    // another identity than the one chosen (--user, --keytab). Ours always come from a Subject.
    if (System.getProperty("javax.security.auth.useSubjectCredsOnly") == null) {
      System.setProperty("javax.security.auth.useSubjectCredsOnly", "true");
    }
  }

  /** Exchanges sent by this process, for benchmarks that count round trips. */
  private static final java.util.concurrent.atomic.AtomicLong EXCHANGES = new java.util.concurrent.atomic.AtomicLong();
  private static final java.util.concurrent.atomic.AtomicLong EXCHANGE_NANOS = new java.util.concurrent.atomic.AtomicLong();

  private final ServerAddress address;
  private final URI base;
  private final SSLSocketFactory sockets;
  private final Credentials credentials;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final long maxBody;
  private final java.util.Map<String, String> headers;

  /** One server's answer; {@code challenges} are its WWW-Authenticate values. */
  public record Reply(int status, String contentType, String location, byte[] body, URI uri,
                      java.util.List<String> challenges) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  public HttpTransport(URI base, TlsSettings tls, Credentials credentials, RetryPolicy retry, Duration timeout,
                       long maxBody) throws GeneralSecurityException, IOException {
    this(base, tls, credentials, retry, timeout, maxBody, java.util.Map.of());
  }

  /**
   * Like the other constructor, plus {@code headers} sent with every request, replacing the default of the same
   * name (AD CS web enrollment wants a browser-like User-Agent, or it labels certificates with the wrong type).
   */
  public HttpTransport(URI base, TlsSettings tls, Credentials credentials, RetryPolicy retry, Duration timeout,
                       long maxBody, java.util.Map<String, String> headers)
      throws GeneralSecurityException, IOException {
    this.address = ServerAddress.of(base);
    if (!address.tls() && !address.isLoopback()) {
      throw new IllegalArgumentException("server URL must be https:// (plain http only for a loopback test server): "
          + address);
    }
    this.base = address.uri();
    this.credentials = credentials;
    this.retry = retry;
    this.timeout = timeout;
    this.maxBody = maxBody;
    this.headers = java.util.Map.copyOf(headers);
    this.sockets = sockets(address, tls);
  }

  /** TLS per server and TLS setting, shared: the JDK keeps idle keep-alive connections per socket factory. */
  private record ClientKey(String host, int port, TlsSettings.Key tls) {
  }

  private static final java.util.Map<ClientKey, SSLSocketFactory> SOCKETS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The TLS socket factory for {@code base}, or null for plain http (loopback only). */
  private static SSLSocketFactory sockets(ServerAddress address, TlsSettings tls)
      throws GeneralSecurityException, IOException {
    if (!address.tls()) {
      return null;
    }
    ClientKey key = new ClientKey(address.host(), address.effectivePort(), tls.key());
    SSLSocketFactory f = SOCKETS.get(key);
    if (f == null) {
      f = tls.sslContext(address).getSocketFactory();
      SSLSocketFactory raced = SOCKETS.putIfAbsent(key, f);
      f = raced != null ? raced : f;
    }
    return f;
  }

  /** How many HTTP exchanges this process has sent (a statistic for benchmarks). */
  public static long exchanges() {
    return EXCHANGES.get();
  }

  /** Wall time this process has spent in completed HTTP exchanges, in nanoseconds (a statistic for benchmarks). */
  public static long exchangeNanos() {
    return EXCHANGE_NANOS.get();
  }

  public URI base() {
    return base;
  }

  /**
   * Sends a request to {@code path} (relative to the base, may carry a query).
   *
   * @param idempotent whether repeating the request after an unclear failure is harmless
   */
  public Reply exchange(String method, String path, byte[] body, String contentType, boolean idempotent)
      throws ServerException {
    java.net.URL url = address.url(path);
    URI uri = base.resolve(path.startsWith("/") ? path.substring(1) : path);
    for (int attempt = 1; ; attempt++) {
      try {
        Reply reply = once(method, url, uri, body, contentType);
        if (reply.status >= 500) {
          throw new ServerUnavailableException(method + " " + uri.getPath() + ": server error " + reply.status
              + message(reply), true, null);
        }
        if (reply.status == 401) {
          throw new AccessDeniedException(401, method + " " + uri.getPath() + " was refused: 401" + message(reply)
              + " (" + credentials.refusalHint() + offered(reply) + ")");
        }
        if (reply.status >= 400) {
          throw new ServerRefusedException(reply.status, method + " " + uri.getPath() + " was refused: "
              + reply.status + message(reply));
        }
        return reply;
      } catch (ServerUnavailableException e) {
        if (!idempotent && e.maybeProcessed() || attempt >= retry.attempts()) {
          throw attempt > 1 ? new ServerUnavailableException(e.getMessage() + " (after " + attempt + " attempts)",
              e.maybeProcessed(), e.getCause()) : e;
        }
        Duration pause = retry.delayBefore(attempt);
        LOG.log(System.Logger.Level.DEBUG, () -> "retrying " + method + " " + uri.getPath() + " in " + pause.toMillis()
            + " ms: " + e.getMessage());
        sleep(pause);
      }
    }
  }

  /**
   * One exchange on the JDK's HttpURLConnection, which keeps idle connections for the next request. Not the JDK's
   * HttpClient: its selector thread sits in native code, and a JVM with such a thread waits about 300 ms at exit
   * (a third of a short CLI run); its first request also costs about 100 ms more in class loading. Bodies go in
   * fixed-length streaming mode, so the connection never re-sends a request by itself.
   */
  private Reply once(String method, java.net.URL url, URI uri, byte[] body, String contentType)
      throws ServerException {
    try (Credentials.Attempt attempt = credentials.begin(uri)) { // Negotiate: a new token for every request
      return once(method, url, uri, body, contentType, attempt);
    }
  }

  private Reply once(String method, java.net.URL url, URI uri, byte[] body, String contentType,
                     Credentials.Attempt attempt) throws ServerException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    EXCHANGES.incrementAndGet();
    HttpURLConnection c = null;
    boolean connected = false;
    boolean reusable = false;
    try {
      c = (HttpURLConnection) url.openConnection(); // built from the checked address: the same host
      if (c instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(sockets); // host names are checked by the trust manager (endpoint identification)
      }
      c.setConnectTimeout((int) Math.min(CONNECT_TIMEOUT.toMillis(), timeout.toMillis()));
      c.setReadTimeout(millisLeft(deadline));
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestMethod(method);
      c.setRequestProperty("Accept", "application/json, text/html;q=0.9, */*;q=0.8");
      headers.forEach(c::setRequestProperty);
      if (attempt.authorization() != null) {
        c.setRequestProperty("Authorization", attempt.authorization());
      }
      byte[] payload = body != null ? body : method.equals("POST") || method.equals("PUT") ? new byte[0] : null;
      if (payload != null) {
        c.setDoOutput(true);
        if (body != null) {
          c.setRequestProperty("Content-Type", contentType);
        }
        c.setFixedLengthStreamingMode(payload.length);
      }
      c.connect();
      connected = true;
      if (payload != null) {
        try (OutputStream out = c.getOutputStream()) {
          out.write(payload);
        }
      }
      int status;
      try {
        status = c.getResponseCode();
      } catch (java.net.HttpRetryException e) {
        // a 401 to a streamed body: the JDK would have to send it again to authenticate, and says so instead
        return new Reply(e.responseCode(), "", null, new byte[0], uri, java.util.List.of());
      }
      if (status < 0) {
        throw new ServerUnavailableException(method + " " + uri.getPath() + ": the answer is not HTTP", true, null);
      }
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      byte[] bytes = in == null ? new byte[0] : readLimited(in, uri, deadline);
      reusable = true;
      EXCHANGE_NANOS.addAndGet(System.nanoTime() - t0);
      int code = status;
      LOG.log(System.Logger.Level.DEBUG, () -> method + " " + uri.getPath() + " -> " + code + " ("
          + (System.nanoTime() - t0) / 1_000_000 + " ms)");
      String type = c.getContentType();
      java.util.List<String> challenges = challenges(c);
      if (status != 401 && status < 500) {
        attempt.verify(challenges); // a refusal, too, is acted on (abandon): it must come from the server
      }
      return new Reply(status, type == null ? "" : type, c.getHeaderField("Location"), bytes, uri, challenges);
    } catch (SSLHandshakeException e) {
      throw new AccessDeniedException(0, "TLS with " + uri.getHost() + " failed: " + e.getMessage()
          + " (is the server's CA given with --trust?)");
    } catch (ConnectException e) {
      throw new ServerUnavailableException("cannot connect to " + uri.getHost() + ":" + port(uri) + " ("
          + e.getClass().getSimpleName() + ")", false, e);
    } catch (SocketTimeoutException e) {
      throw connected
          ? new ServerUnavailableException(method + " " + uri.getPath() + " timed out after " + timeout.toSeconds()
              + " s", true, e)
          : new ServerUnavailableException("cannot connect to " + uri.getHost() + ":" + port(uri) + " (timed out)",
              false, e);
    } catch (IOException e) {
      throw new ServerUnavailableException(method + " " + uri.getPath() + " failed: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), connected, e);
    } finally {
      if (c != null && !reusable) {
        c.disconnect(); // a connection left mid-answer must not serve the next request
      }
    }
  }

  private byte[] readLimited(InputStream in, URI uri, long deadline) throws IOException, ProtocolException {
    try (in) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[16384];
      while (true) {
        if (System.nanoTime() - deadline > 0) { // a server trickling its answer gets no more than the timeout
          throw new SocketTimeoutException("answer not complete after " + timeout.toSeconds() + " s");
        }
        int n = in.read(buf);
        if (n < 0) {
          return out.toByteArray();
        }
        out.write(buf, 0, n);
        if (out.size() > maxBody) {
          throw new ProtocolException("the answer from " + uri.getPath() + " is larger than " + maxBody
              + " bytes; refused");
        }
      }
    }
  }

  /** Milliseconds to {@code deadline}, at least 1 (0 would mean no timeout at all), at most an int. */
  private static int millisLeft(long deadline) {
    long ms = (deadline - System.nanoTime()) / 1_000_000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }

  /** The server's own explanation, when its error body has one ({"Message": …}, as ASP.NET writes it, or text). */
  private static String message(Reply reply) {
    String text = reply.text().strip();
    if (text.isEmpty() || text.length() > 4096) {
      return "";
    }
    try {
      var node = JSON.readTree(text);
      if (node != null && node.isObject()) {
        for (var it = node.fields(); it.hasNext(); ) {
          var field = it.next();
          if (field.getKey().equalsIgnoreCase("message") && field.getValue().isTextual()) {
            return ": " + field.getValue().asText();
          }
        }
      }
    } catch (java.io.IOException e) {
      // not JSON: fall through
    }
    return reply.contentType().startsWith("text/plain") && text.length() < 300 ? ": " + text : "";
  }

  /** The WWW-Authenticate values; header names are case-insensitive, and servers write them in any case. */
  private static java.util.List<String> challenges(HttpURLConnection c) {
    java.util.List<String> values = new java.util.ArrayList<>();
    c.getHeaderFields().forEach((name, v) -> {
      if ("WWW-Authenticate".equalsIgnoreCase(name)) {
        values.addAll(v);
      }
    });
    return values;
  }

  /** The schemes a 401 offers ("the server offers Negotiate, Basic"), so a wrong --auth shows at once. */
  private static String offered(Reply reply) {
    java.util.List<String> schemes = reply.challenges().stream().map(v -> v.strip().split("[ ,]", 2)[0])
        .filter(v -> !v.isEmpty() && v.length() < 40).distinct().toList();
    return schemes.isEmpty() ? "" : "; the server offers " + String.join(", ", schemes);
  }

  private static int port(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static void sleep(Duration d) throws ServerUnavailableException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnavailableException("interrupted while waiting to retry", true, e);
    }
  }
}
