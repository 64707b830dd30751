package io.tokenroll.agent.cli;

import picocli.CommandLine.Option;

/** {@code --json} on every command: results as JSON on stdout instead of tables. */
public final class OutputOptions {
  @Option(names = "--json", description = "Print results as JSON.")
  boolean json;

  public boolean json() {
    return json;
  }
}
