package io.tokenroll.agent.cli;

import io.tokenroll.pkcs11.ModuleLoadException;
import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.PinLockedException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenNotFoundException;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import java.io.PrintWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * Builds the configured command line: one clean line per failure (a stack trace only with --verbose), exit codes
 * from {@link ExitCodes}. Used by {@code main}, by the assembled distribution (which adds commands) and by tests.
 */
public final class Cli {
  private static volatile boolean verbose;
  /** Held so the level set on it is not lost to garbage collection of an unreferenced logger. */
  private static final Logger TOKENROLL = Logger.getLogger("io.tokenroll");

  private Cli() {
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TokenrollCommand());
    cl.setExecutionExceptionHandler(Cli::handle);
    cl.setExitCodeExceptionMapper(Cli::exitCode);
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("tokenroll: " + ex.getMessage());
      err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for its options.");
      err.flush();
      return ExitCodes.INVALID_INPUT;
    });
    return cl;
  }

  /** Verbose shows tokenroll's own messages (not the JDK's or the wrapper's) on stderr. */
  static void setVerbose(boolean on) {
    verbose = on;
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    for (var h : root.getHandlers()) {
      h.setLevel(on ? Level.FINE : Level.WARNING);
    }
    if (root.getHandlers().length == 0) {
      root.addHandler(new ConsoleHandler());
    }
    TOKENROLL.setLevel(on ? Level.FINE : Level.WARNING);
  }

  private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    err.println("tokenroll: " + message(ex));
    if (verbose || exitCode(ex) == ExitCodes.INTERNAL) {
      ex.printStackTrace(err);
    }
    err.flush();
    return exitCode(ex);
  }

  private static String message(Throwable ex) {
    String m = ex.getMessage();
    return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
  }

  /** Exit code for a failure: specific codes for the token failures scripts care about. */
  public static int exitCode(Throwable ex) {
    if (ex instanceof CliException c) {
      return c.exitCode();
    }
    if (ex instanceof PinIncorrectException) {
      return ExitCodes.PIN_INCORRECT;
    }
    if (ex instanceof PinLockedException) {
      return ExitCodes.PIN_LOCKED;
    }
    if (ex instanceof TokenNotFoundException) {
      return ExitCodes.TOKEN_NOT_FOUND;
    }
    if (ex instanceof TokenUnsupportedException) {
      return ExitCodes.UNSUPPORTED_BY_TOKEN;
    }
    if (ex instanceof ModuleLoadException) {
      return ExitCodes.MODULE_NOT_LOADED;
    }
    if (ex instanceof TokenException || ex instanceof java.io.IOException) {
      return ExitCodes.FAILED;
    }
    if (ex instanceof IllegalArgumentException || ex instanceof CommandLine.ParameterException) {
      return ExitCodes.INVALID_INPUT;
    }
    return ExitCodes.INTERNAL;
  }
}
