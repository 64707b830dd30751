package io.tokenroll.agent.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.journal.FileJournal;
import java.io.IOException;

/**
 * A journal file as 'status' and 'resume' read and show it: an enrollment with an id and a state, which status
 * can describe, or an {@link IOException} (the file is then named and skipped; the other enrollments go on).
 */
class JournalFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void entry(byte[] data) {
    Enrollment e;
    try {
      e = FileJournal.parse(data);
    } catch (IOException refused) {
      return; // named and skipped by the journal reader
    }
    if (e.id == null || e.state == null) {
      throw new AssertionError("an entry without id or state got through");
    }
    e.state.onRestart();
    EnrollmentViews.of(e);
    EnrollmentViews.waitingFor(e);
  }
}
