package io.tokenroll.cmserver.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import io.tokenroll.cmserver.UserAccount;
import io.tokenroll.cmserver.faults.CmFaults;
import io.tokenroll.cmserver.faults.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one handler behind the HTTP(S) server: reads the request within the size limit, applies an armed fault,
 * picks the application by path prefix, authenticates, calls it, and turns refusals and failures into that
 * application's error format. Unexpected failures are logged with a correlation id — the client's X-Correlation-ID
 * when it sends one — which is also the only detail the client sees: never a stack trace.
 */
public final class Front implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(Front.class.getName());

  private final List<Application> applications;
  private final Authenticator users;
  private final Map<String, UserAccount> admins;
  private final CmFaults faults;
  private final int maxBodyBytes;
  private final ClientLimiter limiter;

  public Front(List<Application> applications, Authenticator users, Map<String, UserAccount> admins,
      CmFaults faults, int maxBodyBytes, ClientLimiter limiter) {
    this.limiter = limiter;
    this.applications = List.copyOf(applications);
    this.users = users;
    this.admins = Map.copyOf(admins);
    this.faults = faults;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    CorrelationId correlationId = new CorrelationId(ex.getRequestHeaders().getFirst("X-Correlation-ID"));
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      Optional<Fault> fault = faults.take(method, path);
      byte[] body;
      try {
        if (fault.isPresent() && fault.get() instanceof Fault.Drop) {
          return; // Closing an exchange whose headers were never sent closes the connection.
        }
        body = readBody(ex);
      } finally {
        limiter.requestRead(ex.getRemoteAddress()); // read (or given up): no longer a connection still sending
      }
      Application app = application(path);
      if (body == null) {
        send(ex, errorOf(app, 413, "The request body is larger than " + maxBodyBytes + " bytes.", correlationId)
            .withHeader("Connection", "close"));
        return;
      }
      if (fault.isPresent() && fault.get() instanceof Fault.Delay d) {
        Thread.sleep(d.delay().toMillis());
      }
      if (fault.isPresent() && fault.get() instanceof Fault.Replace r) {
        Response replaced = Response.bytes(r.status(), r.contentType(), r.body());
        for (var h : r.headers().entrySet()) {
          replaced = replaced.withHeader(h.getKey(), h.getValue());
        }
        send(ex, replaced);
        return;
      }
      Response response = answer(ex, app, method, path, body, correlationId);
      if (fault.isPresent() && fault.get() instanceof Fault.Transform t) {
        response = response.withBody(t.transform().apply(response.body() == null ? new byte[0] : response.body()));
      }
      send(ex, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Response answer(HttpExchange ex, Application app, String method, String path, byte[] body,
      CorrelationId correlationId) {
    if (app == null) {
      return Response.html(404, "<html><body><h2>404 - File or directory not found.</h2></body></html>");
    }
    String contentType = ex.getRequestHeaders().getFirst("Content-Type");
    Authenticator.Authenticated who = null;
    try {
      Request request = new Request(method, path, parseQuery(ex.getRequestURI().getRawQuery()),
          isForm(contentType) ? parseQuery(new String(body, StandardCharsets.ISO_8859_1)) : Map.of(), body,
          contentType, null);
      who = authenticate(ex, app);
      if (who == null && !app.anonymousAllowed(request)) {
        Response refusal = errorOf(app, 401, "Access is denied due to invalid credentials.", correlationId);
        if (app.audience() == Application.Audience.USERS) {
          for (String scheme : users.extraSchemes()) {
            refusal = refusal.withHeader("WWW-Authenticate", scheme);
          }
        }
        return refusal.withHeader("WWW-Authenticate", "Basic realm=\"" + app.realm() + "\"");
      }
      return withProof(app.handle(request.withUser(who == null ? null : who.user())), who);
    } catch (HttpError e) {
      return withProof(errorOf(app, e.status(), e.getMessage(), correlationId), who);
    } catch (io.tokenroll.cmserver.store.DocumentTooLargeException e) {
      return withProof(errorOf(app, 413, e.getMessage(), correlationId), who);
    } catch (Exception | StackOverflowError e) {
      LOG.log(Level.WARNING, "request " + method + " " + path + " failed, correlation id " + correlationId.get(), e);
      return withProof(errorOf(app, 500, "An error has occurred.", correlationId), who);
    }
  }

  /** Every answer to an authenticated Negotiate request carries the reply that proves the server, errors too. */
  private static Response withProof(Response response, Authenticator.Authenticated who) {
    return who == null || who.replyChallenge() == null ? response
        : response.withHeader("WWW-Authenticate", who.replyChallenge());
  }

  private Authenticator.Authenticated authenticate(HttpExchange ex, Application app) {
    String authorization = ex.getRequestHeaders().getFirst("Authorization");
    if (app.audience() == Application.Audience.ADMIN) {
      UserAccount admin = authorization == null ? null : Authenticator.basic(authorization, admins);
      return admin == null ? null : new Authenticator.Authenticated(admin, null);
    }
    return users.authenticate(authorization, ex instanceof HttpsExchange https ? https.getSSLSession() : null);
  }

  private static Response errorOf(Application app, int status, String message, CorrelationId correlationId) {
    if (app == null) {
      return Response.html(status, "<html><body><h2>" + status + " - " + message + "</h2></body></html>");
    }
    return app.error(status, message, correlationId.get());
  }

  /** A request's correlation id, made when an error answer or a log line first needs it (most requests never do). */
  private static final class CorrelationId {
    private String id;

    /** The client's own id when it sends a plausible one (tokenroll sends its enrollment id), so both logs agree. */
    CorrelationId(String fromClient) {
      if (fromClient != null && fromClient.matches("[A-Za-z0-9._-]{1,64}")) {
        id = fromClient;
      }
    }

    String get() {
      if (id == null) {
        id = UUID.randomUUID().toString();
      }
      return id;
    }
  }

  private Application application(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    for (Application a : applications) {
      String prefix = a.prefix();
      if (lower.startsWith(prefix) || lower.equals(prefix.substring(0, prefix.length() - 1))) {
        return a;
      }
    }
    return null;
  }

  /**
   * The body, or null when it is larger than the limit. An oversized body is still read and dropped (up to a hard
   * cap), so the client gets its 413 rather than a reset connection.
   */
  private byte[] readBody(HttpExchange ex) throws IOException {
    long drainCap = Math.max(16L << 20, 4L * maxBodyBytes);
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.trim());
        if (declared > drainCap) {
          return null;
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      if (declared >= 0 && declared <= maxBodyBytes) {
        return in.readNBytes((int) declared); // the JDK's stream ends after Content-Length bytes
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0 && total <= drainCap; ) {
        total += n;
        if (total <= maxBodyBytes) {
          out.write(buf, 0, n);
        }
      }
      return total > maxBodyBytes ? null : out.toByteArray();
    }
  }

  private static boolean isForm(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /** Query or form parameters; names lower-cased, the first value of a repeated name wins. */
  static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("The request is invalid. Malformed URL encoding.");
    }
  }

  private static void send(HttpExchange ex, Response r) throws IOException {
    r.headers().forEach((k, v) -> ex.getResponseHeaders().put(k, v));
    if (r.contentType() != null) {
      ex.getResponseHeaders().set("Content-Type", r.contentType());
    }
    boolean empty = r.body() == null || r.body().length == 0 || r.status() == 204;
    ex.sendResponseHeaders(r.status(), empty ? -1 : r.body().length);
    if (!empty) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(r.body());
      }
    }
  }
}
