package io.tokenroll.dist;

import io.tokenroll.agent.cli.Cli;
import picocli.CommandLine;

/**
 * Entry point of the assembled tokenroll: the agent's CLI plus the commands that need both the agent and
 * cmserver (the demo, and cmserver itself). The agent module does not know cmserver; this module wires them.
 */
public final class Main {
  private Main() {
  }

  public static CommandLine commandLine() {
    CommandLine cl = Cli.commandLine();
    cl.addSubcommand("demo", new DemoCommand());
    cl.addSubcommand("cmserver", new io.tokenroll.cmserver.cli.CmServerCommand());
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
