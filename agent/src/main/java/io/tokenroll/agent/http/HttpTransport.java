package io.tokenroll.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;

/**
 * HTTPS to one server, keep-alive, with bounded retries. Requests that may be repeated safely (GET, PUT) are
 * retried on network errors and 5xx; others only when the connection was never made. 4xx answers fail at once.
 * Bodies are never logged: they can carry secrets (a pfxpassword) and keys.
 */
public final class HttpTransport {
  private static final System.Logger LOG = System.getLogger("io.tokenroll.agent.http");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** Exchanges sent by this process, for benchmarks that count round trips. */
  private static final java.util.concurrent.atomic.AtomicLong EXCHANGES = new java.util.concurrent.atomic.AtomicLong();
  private static final java.util.concurrent.atomic.AtomicLong EXCHANGE_NANOS = new java.util.concurrent.atomic.AtomicLong();

  private final URI base;
  private final HttpClient client;
  private final Credentials credentials;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final long maxBody;
  private final java.util.Map<String, String> headers;

  /** One server's answer. */
  public record Reply(int status, String contentType, String location, byte[] body, URI uri) {
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
    if (!"https".equalsIgnoreCase(base.getScheme()) && !("http".equalsIgnoreCase(base.getScheme())
        && TlsSettings.isLoopback(base))) {
      throw new IllegalArgumentException("server URL must be https:// (plain http only for a loopback test server): "
          + base);
    }
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.credentials = credentials;
    this.retry = retry;
    this.timeout = timeout;
    this.maxBody = maxBody;
    this.headers = java.util.Map.copyOf(headers);
    this.client = client(this.base, tls);
  }

  /** A client per server and TLS setting, shared: keep-alive connections and TLS sessions outlive one transport. */
  private record ClientKey(String scheme, String host, int port, TlsSettings.Key tls) {
  }

  private static final java.util.Map<ClientKey, HttpClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

  private static HttpClient client(URI base, TlsSettings tls) throws GeneralSecurityException, IOException {
    ClientKey key = new ClientKey(base.getScheme().toLowerCase(java.util.Locale.ROOT), base.getHost(), base.getPort(),
        tls.key());
    HttpClient c = CLIENTS.get(key);
    if (c == null) {
      HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER);
      if ("https".equalsIgnoreCase(base.getScheme())) {
        b.sslContext(tls.sslContext(base));
      }
      c = b.build();
      HttpClient raced = CLIENTS.putIfAbsent(key, c);
      c = raced != null ? raced : c;
    }
    return c;
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
    URI uri = base.resolve(path.startsWith("/") ? path.substring(1) : path);
    for (int attempt = 1; ; attempt++) {
      try {
        Reply reply = once(method, uri, body, contentType);
        if (reply.status >= 500) {
          throw new ServerUnavailableException(method + " " + uri.getPath() + ": server error " + reply.status
              + message(reply), true, null);
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

  private Reply once(String method, URI uri, byte[] body, String contentType) throws ServerException {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Accept", "application/json, text/html;q=0.9, */*;q=0.8")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      rb.header("Content-Type", contentType);
    }
    headers.forEach(rb::setHeader);
    if (credentials.authorizationHeader() != null) {
      rb.header("Authorization", credentials.authorizationHeader());
    }
    long t0 = System.nanoTime();
    EXCHANGES.incrementAndGet();
    try {
      HttpResponse<InputStream> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] bytes = readLimited(r.body(), uri);
      EXCHANGE_NANOS.addAndGet(System.nanoTime() - t0);
      LOG.log(System.Logger.Level.DEBUG, () -> method + " " + uri.getPath() + " -> " + r.statusCode() + " ("
          + (System.nanoTime() - t0) / 1_000_000 + " ms)");
      return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
          r.headers().firstValue("Location").orElse(null), bytes, uri);
    } catch (ConnectException e) {
      throw new ServerUnavailableException("cannot connect to " + uri.getHost() + ":" + port(uri) + " ("
          + e.getClass().getSimpleName() + ")", false, e);
    } catch (SSLHandshakeException e) {
      throw new ServerRefusedException(0, "TLS with " + uri.getHost() + " failed: " + e.getMessage()
          + " (is the server's CA given with --trust?)");
    } catch (HttpTimeoutException e) {
      throw new ServerUnavailableException(method + " " + uri.getPath() + " timed out after " + timeout.toSeconds()
          + " s", true, e);
    } catch (IOException e) {
      throw new ServerUnavailableException(method + " " + uri.getPath() + " failed: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnavailableException("interrupted", true, e);
    }
  }

  private byte[] readLimited(InputStream in, URI uri) throws IOException, ProtocolException {
    try (in) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
      if (bytes.length > maxBody) {
        throw new ProtocolException("the answer from " + uri.getPath() + " is larger than " + maxBody
            + " bytes; refused");
      }
      return bytes;
    }
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
