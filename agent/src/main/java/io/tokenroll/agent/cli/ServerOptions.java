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

  void applyTo(Enrollment e) {
    e.server = server;
    connection.applyTo(e);
  }
}
