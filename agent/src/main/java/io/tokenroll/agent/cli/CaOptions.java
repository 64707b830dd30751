package io.tokenroll.agent.cli;

import io.tokenroll.agent.certsrv.CertsrvClient;
import io.tokenroll.agent.certsrv.CertsrvConnector;
import io.tokenroll.agent.http.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Mixin;
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

  @Mixin
  ConnectionOptions connection;

  CertsrvClient client() throws IOException {
    return new CertsrvClient(new CertsrvConnector(connection.tls(), connection.credentials(), RETRY,
        Duration.ofSeconds(60), CertsrvConnector.DEFAULT_MAX_BODY));
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
}
