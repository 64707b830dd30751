package io.tokenroll.agent.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Every tokenroll command: results to stdout (table or JSON), diagnostics to stderr, an exit code. */
public abstract class BaseCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  @Mixin
  protected OutputOptions output;

  private PrintWriter raw;
  private PrintWriter safe;

  /** Standard output, with control characters made visible ({@link SafeText}): much of what is printed came from a
   *  server or a token. */
  protected PrintWriter out() {
    PrintWriter current = spec.commandLine().getOut();
    if (current != raw) {
      raw = current;
      safe = SafeText.writer(current);
    }
    return safe;
  }

  /** A diagnostic line on stderr, with control characters made visible. */
  protected void note(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(SafeText.clean(message));
    err.flush();
  }

  protected boolean json() {
    return output.json();
  }

  protected void printJson(Object value) {
    out().println(Output.json(value));
    out().flush();
  }

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } finally {
      if (safe != null) {
        safe.flush(); // the launcher exits right after: what is still buffered would be lost
      }
    }
  }

  protected abstract int run() throws Exception;
}
