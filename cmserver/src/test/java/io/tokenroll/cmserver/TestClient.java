package io.tokenroll.cmserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.cmserver.http.Tls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/** A real HTTPS client for tests: trusts the server's CA, sends Basic credentials, keeps connections alive. */
final class TestClient {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String API = "CertificateManagement/api/v1.0/";

  private final HttpClient http;
  private final URI base;
  private final String authorization;

  TestClient(CmServer server, String user, String password) {
    this(server.baseUri(), server.trustAnchors().get(0), user, password);
  }

  TestClient(URI base, X509Certificate anchor, String user, String password) {
    try {
      SSLContext ctx = Tls.clientContext(anchor);
      this.http = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    this.base = base;
    this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body) throws IOException {
    return send(method, path, contentType, body, java.util.Map.of());
  }

  HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body,
                            java.util.Map<String, String> headers) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  HttpResponse<byte[]> get(String path) throws IOException {
    return send("GET", path, null, null);
  }

  HttpResponse<byte[]> api(String method, String route, Object body) throws IOException {
    byte[] bytes = body == null ? null : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
        : JSON.writeValueAsBytes(body);
    return send(method, API + route, bytes == null ? null : "application/json", bytes);
  }

  static JsonNode json(HttpResponse<byte[]> r) throws IOException {
    return JSON.readTree(r.body());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
