package io.tokenroll.e2e;

import io.tokenroll.dist.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the real tokenroll command line, in this JVM, with what it printed. */
record Cli(int exitCode, String out, String err) {
  static Cli run(String... args) {
    CommandLine cl = Main.commandLine(args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Cli(cl.execute(args), out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
