package io.tokenroll.dist;

import io.tokenroll.agent.cli.Cli;
import java.util.List;
import picocli.CommandLine;

/**
 * Entry point of the assembled tokenroll: the agent's CLI plus the commands that need both the agent and
 * cmserver (the demo, and cmserver itself). The agent module does not know cmserver; this module wires them.
 */
public final class Main {
  private Main() {
  }

  /** The commands this module adds to the agent's. */
  private static final List<Cli.Subcommand> EXTRA = List.of(new Cli.Subcommand("demo", DemoCommand::new),
      new Cli.Subcommand("cmserver", io.tokenroll.cmserver.cli.CmServerCommand::new));

  /** The command tree for running {@code args}: only the command they name when they name one. */
  public static CommandLine commandLine(String... args) {
    return Cli.commandLine(EXTRA, args);
  }

  public static void main(String[] args) {
    io.tokenroll.agent.http.LazyDefaultTls.install();
    System.exit(commandLine(args).execute(args));
  }
}
