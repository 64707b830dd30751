package io.tokenroll.agent.cli;

import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.PasswordSource;
import io.tokenroll.agent.http.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Who we are to a server (HTTP Basic and/or a TLS client certificate) and whom we trust, shared by the MIM CM and
 * the AD CS commands. Passwords are never options: only where they come from, and only that is journaled.
 */
final class ConnectionOptions {
  @Option(names = "--user", paramLabel = "<name>", description = "User for HTTP Basic authentication.")
  String user;

  @Option(names = "--password-source", paramLabel = "<source>",
      description = "Where the password comes from: file:<path>, env:<VARIABLE> or prompt (default).")
  String passwordSource;

  @Option(names = "--client-cert", paramLabel = "<p12>",
      description = "Authenticate with this TLS client certificate and key (a PKCS#12 file with its chain).")
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

  TlsSettings tls() throws IOException {
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
    return new TlsSettings(anchors, insecure, clientCertificate, keyStorePassword);
  }

  Credentials credentials() throws IOException {
    return user == null ? Credentials.NONE
        : Credentials.basic(user, PasswordSource.read(source(passwordSource), "password of " + user));
  }

  /** Records where everything comes from, for resume: sources and paths, never a secret. */
  void applyTo(Enrollment e) {
    e.user = user;
    e.passwordSource = user == null ? null : source(passwordSource);
    e.trustFile = trustFile == null ? null : readable(trustFile).toAbsolutePath().toString();
    e.insecure = insecure;
    e.clientCertificate = clientCertificate == null ? null : readable(clientCertificate).toAbsolutePath().toString();
    e.clientCertificatePasswordSource = clientCertificate == null ? null : source(clientCertificatePasswordSource);
  }

  private static String source(String spec) {
    return spec == null ? "prompt" : spec;
  }

  private static Path readable(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.INVALID_INPUT, "no such file: " + file);
    }
    return file;
  }

  private static byte[] readable(Path file, String option) {
    return InputFiles.read(file, option);
  }
}
