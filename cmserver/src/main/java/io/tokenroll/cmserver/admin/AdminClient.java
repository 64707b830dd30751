package io.tokenroll.cmserver.admin;

import io.tokenroll.cmserver.StateFiles;
import io.tokenroll.cmserver.http.Tls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

/**
 * The admin commands' side of {@code /cmserver-admin/}: finds the running server, its root certificate and the
 * admin credential in the state directory, and sends one request.
 */
public final class AdminClient {
  private final HttpClient http;
  private final URI base;
  private final String authorization;

  public AdminClient(Path stateDirectory) throws IOException, GeneralSecurityException {
    this.base = URI.create(StateFiles.endpoint(stateDirectory));
    X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(Files.readAllBytes(StateFiles.rootCertificate(stateDirectory))));
    this.http = HttpClient.newBuilder().sslContext(Tls.clientContext(root)).connectTimeout(Duration.ofSeconds(10))
        .build();
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((StateFiles.ADMIN_USER + ":"
        + StateFiles.adminPassword(stateDirectory)).getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code method} to {@code cmserver-admin/<route>}; returns the status and body text. */
  public HttpResponse<String> send(String method, String route, String jsonBody) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("cmserver-admin/" + route))
        .timeout(Duration.ofSeconds(60)).header("Authorization", authorization)
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
