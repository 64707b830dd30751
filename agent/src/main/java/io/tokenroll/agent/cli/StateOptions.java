package io.tokenroll.agent.cli;

import io.tokenroll.agent.journal.FileJournal;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where tokenroll keeps its journal and locks: --state-dir, else $TOKENROLL_STATE_DIR, else
 * $XDG_STATE_HOME/tokenroll, else ~/.local/state/tokenroll.
 */
public final class StateOptions {
  @Option(names = "--state-dir", paramLabel = "<dir>",
      description = "Journal and lock directory (default: $TOKENROLL_STATE_DIR or ~/.local/state/tokenroll).")
  Path stateDir;

  public Path directory() {
    if (stateDir != null) {
      return stateDir;
    }
    String env = System.getenv("TOKENROLL_STATE_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("tokenroll");
  }

  /** The append-only record of changes to tokens ({@code <state-dir>/audit.log}). */
  public io.tokenroll.agent.journal.AuditLog audit() {
    return new io.tokenroll.agent.journal.AuditLog(directory().resolve("audit.log"), java.time.Clock.systemUTC());
  }

  public FileJournal journal() throws IOException {
    return new FileJournal(directory().resolve("enrollments"));
  }
}
