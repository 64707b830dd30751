package io.tokenroll.agent.enroll;

import io.tokenroll.agent.journal.Journal;
import java.io.IOException;
import java.util.function.Consumer;

/** Journals an enrollment's next state before the side effect it announces, and reports progress. */
final class StateWriter {
  private static final System.Logger LOG = System.getLogger("io.tokenroll.agent.enroll");
  private final Journal journal;
  private final Consumer<String> progress;

  StateWriter(Journal journal, Consumer<String> progress) {
    this.journal = journal;
    this.progress = progress;
  }

  void persist(Enrollment e, EnrollmentState state) throws IOException {
    if (e.state != state) {
      EnrollmentState from = e.state;
      LOG.log(System.Logger.Level.DEBUG, () -> "enrollment " + e.id + " moved " + from + " -> " + state);
    }
    e.state = state;
    journal.store(e);
    CrashPoints.journaled(state);
  }

  void note(String message) {
    progress.accept(message);
  }

  Journal journal() {
    return journal;
  }
}
