package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** What a new enrollment asks the server for: the template, data collection items, a comment, the issuers trusted. */
final class RequestOptions {
  @Option(names = "--template", required = true, paramLabel = "<name|uuid>", description = "The profile template.")
  String template;

  @Option(names = "--data", paramLabel = "<name=value>",
      description = "A data collection item for the request (repeatable).")
  Map<String, String> data = new LinkedHashMap<>();

  @Option(names = "--comment", paramLabel = "<text>", description = "Comment stored with the request.")
  String comment;

  @Option(names = "--issuer-trust", paramLabel = "<pem>",
      description = "Root CA certificates issued chains must end in; an answer chaining elsewhere is refused.")
  String issuerTrust;

  void applyTo(Enrollment e) {
    e.template = template;
    e.comment = comment;
    e.issuerTrustFile = issuerTrust == null ? null : java.nio.file.Path.of(issuerTrust).toAbsolutePath().toString();
    data.forEach((k, v) -> e.dataCollection.add(Map.of(k, v)));
  }
}
