package io.tokenroll.agent.certsrv;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scripted /certsrv on loopback (plain HTTP, which the transport allows only there): path → canned answer. */
final class FakeCertsrv implements AutoCloseable {
  record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
    static Answer html(String html) {
      return new Answer(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Answer bytes(String contentType, byte[] body) {
      return new Answer(200, contentType, body, Map.of());
    }
  }

  /** One request as the server saw it. */
  record Seen(String method, String pathAndQuery, String userAgent, String body) {
  }

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  FakeCertsrv() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/certsrv/", ex -> {
      String key = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? ""
          : "?" + ex.getRequestURI().getRawQuery());
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      seen.add(new Seen(ex.getRequestMethod(), key, ex.getRequestHeaders().getFirst("User-Agent"), body));
      Answer a = answers.getOrDefault(key, answers.get(ex.getRequestURI().getRawPath()));
      if (a == null) {
        a = new Answer(404, "text/html", "<html>404</html>".getBytes(StandardCharsets.UTF_8), Map.of());
      }
      ex.getResponseHeaders().set("Content-Type", a.contentType());
      a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
      if (a.body().length > 0) {
        ex.getResponseBody().write(a.body());
      }
      ex.close();
    });
    server.start();
  }

  /** Answers requests for {@code pathAndQuery} (e.g. {@code certnew.cer?ReqID=5&Enc=bin}, or a bare page). */
  FakeCertsrv answer(String pathAndQuery, Answer a) {
    answers.put("/certsrv/" + pathAndQuery, a);
    return this;
  }

  String config() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/certsrv";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
