package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import picocli.CommandLine.Option;

/** How to reach the CM server. The password is never an option: only where it comes from. */
public final class ServerOptions {
  @Option(names = "--server", required = true, paramLabel = "<url>",
      description = "The CM server, e.g. https://cm.example.com/ (the API path is added).")
  String server;

  @Option(names = "--user", paramLabel = "<name>", description = "User for HTTP Basic authentication.")
  String user;

  @Option(names = "--password-source", paramLabel = "<source>",
      description = "Where the password comes from: file:<path>, env:<VARIABLE> or prompt.")
  String passwordSource;

  @Option(names = "--trust", paramLabel = "<pem>",
      description = "Extra CA certificates to trust for the server's TLS certificate (a private CA).")
  String trustFile;

  @Option(names = "--insecure",
      description = "Do not verify the server's TLS certificate. Refused unless the server is on this machine.")
  boolean insecure;

  void applyTo(Enrollment e) {
    e.server = server;
    e.user = user;
    e.passwordSource = user == null ? null : passwordSource == null ? "prompt" : passwordSource;
    e.trustFile = trustFile == null ? null : java.nio.file.Path.of(trustFile).toAbsolutePath().toString();
    e.insecure = insecure;
  }
}
