package io.tokenroll.agent.cli;

import io.tokenroll.pkcs11.ModuleLoadException;
import io.tokenroll.pkcs11.PinIncorrectException;
import io.tokenroll.pkcs11.PinLockedException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenNotFoundException;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
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

  /** A command of the tree: its name and how to make it, so that a run builds only the one it needs. */
  public record Subcommand(String name, Supplier<Object> factory) {
  }

  /** The agent's commands, in the order help lists them. */
  private static final List<Subcommand> COMMANDS = List.of(
      new Subcommand("enroll", EnrollCommand::new), new Subcommand("provision", ProvisionCommand::new),
      new Subcommand("status", StatusCommand::new),
      new Subcommand("resume", ResumeCommand::new), new Subcommand("abandon", AbandonCommand::new),
      new Subcommand("renew", RenewCommand::new), new Subcommand("unblock", UnblockCommand::new),
      new Subcommand("retire", RetireCommand::new), new Subcommand("inspect", InspectCommand::new),
      new Subcommand("tokens", TokensCommand::new), new Subcommand("objects", ObjectsCommand::new),
      new Subcommand("keygen", KeygenCommand::new), new Subcommand("csr", CsrCommand::new),
      new Subcommand("import-cert", ImportCertCommand::new), new Subcommand("delete", DeleteCommand::new),
      new Subcommand("ca", CaCommand::new), new Subcommand("agent", AgentCommand::new));

  /** The whole command tree: every command, for help and for tests that look at all of it. */
  public static CommandLine commandLine() {
    return commandLine(List.of());
  }

  /**
   * The command tree for one run: with {@code args} naming a command, the root and that command only (picocli
   * builds each command's model by reflection, about half a millisecond a command warm and far more cold);
   * otherwise, for help, a typo or no command, the whole tree. {@code extra} are commands added after the agent's.
   */
  public static CommandLine commandLine(List<Subcommand> extra, String... args) {
    String wanted = commandNamed(args);
    List<Subcommand> all = new java.util.ArrayList<>(COMMANDS);
    all.addAll(extra);
    boolean known = all.stream().anyMatch(c -> c.name().equals(wanted));
    // --version needs no command at all: building every command for it loaded Jackson and half the agent
    boolean versionOnly = wanted == null && java.util.Arrays.stream(args)
        .anyMatch(a -> a.equals("--version") || a.equals("-V"));
    CommandLine cl = new CommandLine(new TokenrollCommand());
    for (Subcommand c : all) {
      if (!versionOnly && (!known || c.name().equals(wanted))) {
        cl.addSubcommand(c.name(), c.factory().get());
      }
    }
    if (!known && !versionOnly) {
      cl.addSubcommand("help", new CommandLine.HelpCommand());
    }
    cl.setExecutionExceptionHandler(Cli::handle);
    cl.setExitCodeExceptionMapper(Cli::exitCode);
    cl.setParameterExceptionHandler((ex, unmatched) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("tokenroll: " + SafeText.clean(ex.getMessage()));
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, err); // "Did you mean: objects?"
      err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for its options.");
      err.flush();
      return ExitCodes.INVALID_INPUT;
    });
    return cl;
  }

  /**
   * The first argument that is not one of the root's options (all flags without values), or null — also when the
   * root is asked for its help, which lists every command.
   */
  private static String commandNamed(String... args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return a;
      }
      if (a.equals("--") || a.equals("-h") || a.equals("--help")) {
        return null;
      }
    }
    return null;
  }

  /** Verbose shows tokenroll's own messages (not the JDK's or the wrapper's) on stderr. */
  static void setVerbose(boolean on) {
    verbose = on;
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    if (root.getHandlers().length == 0) {
      root.addHandler(new ConsoleHandler());
    }
    for (var h : root.getHandlers()) {
      h.setLevel(on ? Level.FINE : Level.WARNING);
      h.setFormatter(new CleanFormatter()); // log lines quote servers too
    }
    TOKENROLL.setLevel(on ? Level.FINE : Level.WARNING);
  }

  /** The JDK's one-line-ish log format, with control characters made visible. */
  private static final class CleanFormatter extends java.util.logging.SimpleFormatter {
    @Override
    public String format(java.util.logging.LogRecord record) {
      return SafeText.clean(super.format(record));
    }
  }

  private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    err.println("tokenroll: " + SafeText.clean(message(ex)));
    if (verbose || exitCode(ex) == ExitCodes.INTERNAL) {
      PrintWriter clean = SafeText.writer(err); // a message in the trace may be a server's text
      ex.printStackTrace(clean);
      clean.flush();
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
