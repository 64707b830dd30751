package io.tokenroll.agent.cli;

import io.tokenroll.agent.certsrv.CertsrvClient;
import io.tokenroll.agent.certsrv.CertsrvConnector;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.PasswordSource;
import io.tokenroll.agent.http.RetryPolicy;
import io.tokenroll.agent.http.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How to reach AD CS web enrollment: its URL (the config string), who we are (HTTP Basic and/or a TLS client
 * certificate) and whom we trust. Passwords are never options: only where they come from.
 */
final class CaOptions {
  /** An operator waits for an answer: a few quick retries, not the enrollment runner's patience. */
  private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(300), Duration.ofSeconds(3));

  @Option(names = "--config", required = true, paramLabel = "<url>",
      description = "The web enrollment URL, e.g. https://ca.example.com/certsrv (ICertRequest2's config string).")
  String config;

  @Option(names = "--user", paramLabel = "<name>", description = "User for HTTP Basic authentication.")
  String user;

  @Option(names = "--password-source", paramLabel = "<source>",
      description = "Where the password comes from: file:<path>, env:<VARIABLE> or prompt (default).")
  String passwordSource;

  @Option(names = "--client-cert", paramLabel = "<p12>",
      description = "Authenticate with this TLS client certificate and key (a PKCS#12 file).")
  Path clientCertificate;

  @Option(names = "--client-cert-password-source", paramLabel = "<source>",
      description = "Where the PKCS#12 file's password comes from: file:<path>, env:<VARIABLE> or prompt (default).")
  String clientCertificatePasswordSource;

  @Option(names = "--trust", paramLabel = "<pem>",
      description = "Extra CA certificates to trust for the server's TLS certificate (a private CA).")
  Path trustFile;

  @Option(names = "--insecure",
      description = "Do not verify the server's TLS certificate. Refused unless the server is on this machine.")
  boolean insecure;

  CertsrvClient client() throws IOException {
    List<X509Certificate> anchors = List.of();
    if (trustFile != null) {
      try {
        anchors = Pem.certificates(readable(trustFile, "--trust"));
      } catch (CertificateException | IllegalArgumentException e) {
        throw new CliException(ExitCodes.INVALID_INPUT, "--trust " + trustFile + " holds no readable certificate: "
            + e.getMessage());
      }
    }
    char[] keyStorePassword = null;
    if (clientCertificate != null) {
      readable(clientCertificate, "--client-cert");
      keyStorePassword = PasswordSource.read(source(clientCertificatePasswordSource),
          "password of " + clientCertificate.getFileName());
    }
    TlsSettings tls = new TlsSettings(anchors, insecure, clientCertificate, keyStorePassword);
    Credentials credentials = user == null ? Credentials.NONE
        : Credentials.basic(user, PasswordSource.read(source(passwordSource), "password of " + user));
    return new CertsrvClient(new CertsrvConnector(tls, credentials, RETRY, Duration.ofSeconds(60),
        CertsrvConnector.DEFAULT_MAX_BODY));
  }

  private static String source(String spec) {
    return spec == null ? "prompt" : spec;
  }

  /** The config URL, checked the way the client will read it. */
  String configUrl() {
    try {
      CertsrvConnector.parseConfig(config);
      return config;
    } catch (io.tokenroll.protocol.certsrv.CertSrvException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--config: " + e.getMessage());
    }
  }

  private static byte[] readable(Path file, String option) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.INVALID_INPUT, option + ": no such file: " + file);
    }
    return Files.readAllBytes(file);
  }
}
