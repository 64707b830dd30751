package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How to reach the MIM CM server: its URL, and who we are to it. */
public final class ServerOptions {
  @Option(names = "--server", required = true, paramLabel = "<url>",
      description = "The CM server, e.g. https://cm.example.com/ (the API path is added).")
  String server;

  @Mixin
  ConnectionOptions connection;

  /** Checks the URL (one host, no credentials in it) before anything is journaled or sent. */
  void applyTo(Enrollment e) {
    try {
      e.server = io.tokenroll.agent.http.ServerAddress.parse(server).toString();
    } catch (IllegalArgumentException ex) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--server: " + ex.getMessage());
    }
    connection.applyTo(e);
  }
}
