package io.tokenroll.agent.cli;

import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.PasswordSource;
import io.tokenroll.agent.http.TlsSettings;
import io.tokenroll.agent.login.ServerLogin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Who we are to a server (HTTP Basic, Kerberos, a bearer token, and/or a TLS client certificate) and whom we trust,
 * shared by the MIM CM and the AD CS commands. Secrets are never options: only where they come from, and only that
 * is journaled.
 */
final class ConnectionOptions {
  @Option(names = "--auth", paramLabel = "<method>",
      description = "How to log in: basic (the default with --user), negotiate (Kerberos: the ticket cache from "
          + "kinit, or --keytab), bearer (an ADFS access token from --token-source) or none.")
  String auth;

  @Option(names = "--user", paramLabel = "<name>", description = "User for HTTP Basic authentication.")
  String user;

  @Option(names = "--token-source", paramLabel = "<source>",
      description = "Where the bearer token comes from: file:<path>, env:<VARIABLE> or prompt.")
  String tokenSource;

  @Option(names = "--keytab", paramLabel = "<file>",
      description = "Negotiate with this keytab's key instead of the ticket cache (services, helpdesk stations).")
  Path keytab;

  @Option(names = "--principal", paramLabel = "<name>",
      description = "Negotiate as this principal: the keytab's, or the one the ticket cache must hold.")
  String principal;

  @Option(names = "--service-principal", paramLabel = "<name>",
      description = "The server's Kerberos principal, when it is not HTTP/<host in the URL> (e.g. an alias).")
  String servicePrincipal;

  @Option(names = "--canonical-spn",
      description = "Negotiate for HTTP/<the host's canonical name> (its address, then the address's name, as MIT "
          + "Kerberos does) instead of the host as the URL writes it.")
  boolean canonicalSpn;

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
    return login().open();
  }

  /** The login the options describe; options that belong to another method are refused, not ignored. */
  ServerLogin login() {
    String method = auth != null ? auth.toLowerCase(java.util.Locale.ROOT) : user != null ? "basic" : "none";
    refuseUnless(user, "--user", method, "basic");
    refuseUnless(passwordSource, "--password-source", method, "basic");
    refuseUnless(tokenSource, "--token-source", method, "bearer");
    refuseUnless(keytab, "--keytab", method, "negotiate");
    refuseUnless(principal, "--principal", method, "negotiate");
    refuseUnless(servicePrincipal, "--service-principal", method, "negotiate");
    refuseUnless(canonicalSpn ? Boolean.TRUE : null, "--canonical-spn", method, "negotiate");
    try {
      return switch (method) {
        case "none" -> ServerLogin.NONE;
        case "basic" -> {
          if (user == null) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--auth basic needs --user");
          }
          yield ServerLogin.basic(user, source(passwordSource));
        }
        case "bearer" -> {
          if (tokenSource == null) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--auth bearer needs --token-source file:<path> or "
                + "env:<VARIABLE>");
          }
          yield ServerLogin.bearer(tokenSource);
        }
        case "negotiate" -> ServerLogin.negotiate(keytab == null ? null
            : readable(keytab).toAbsolutePath().toString(), principal, servicePrincipal, canonicalSpn);
        default -> throw new CliException(ExitCodes.INVALID_INPUT, "--auth must be basic, negotiate, bearer or none, not "
            + auth);
      };
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
    }
  }

  private static void refuseUnless(Object given, String option, String method, String needed) {
    if (given != null && !method.equals(needed)) {
      throw new CliException(ExitCodes.INVALID_INPUT, option + " belongs to --auth " + needed + ", not --auth " + method);
    }
  }

  /** Records where everything comes from, for resume: sources and paths, never a secret. */
  void applyTo(Enrollment e) {
    e.login = login();
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
