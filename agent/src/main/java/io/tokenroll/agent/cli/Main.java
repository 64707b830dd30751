package io.tokenroll.agent.cli;

/** Entry point of the agent's CLI (the assembled distribution has its own, which adds cmserver and demo). */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    Cli.setVerbose(false);
    io.tokenroll.agent.http.LazyDefaultTls.install();
    System.exit(Cli.commandLine(java.util.List.of(), args).execute(args));
  }
}
