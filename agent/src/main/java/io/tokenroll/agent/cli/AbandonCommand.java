package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentId;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "abandon", header = "Gives up an enrollment cleanly.",
    description = {
        "  tokenroll abandon 3f1a2b4c   (its id's end; the server request is canceled or abandoned, and the keys it "
        + "made are removed)"})
final class AbandonCommand extends EnrollmentCommand {
  @Parameters(paramLabel = "<id>", description = "The enrollment.")
  String id;

  @Override
  protected int run() throws Exception {
    FileJournal journal = state.journal();
    EnrollmentId full = journal.find(id).orElseThrow(() -> new CliException(ExitCodes.INVALID_INPUT,
        "no enrollment '" + id + "' in " + journal.directory())).id;
    Enrollment e;
    try (var claim = claim(journal, full)) { // not while another process runs it
      e = journal.get(full).orElseThrow();
      if (e.state.isFinal()) {
        throw new CliException(ExitCodes.UNEXPECTED_STATE, "enrollment " + e.id + " is already " + e.state
            + (e.state == EnrollmentState.COMPLETED ? "; use 'tokenroll retire' to remove its certificates" : ""));
      }
      e.lastError = "abandoned on request";
      e.state = EnrollmentState.NEED_ABANDON;
      journal.store(e);
    }
    int code = drive(journal, e, false);
    return e.state == EnrollmentState.ABANDONED ? ExitCodes.OK : code;
  }
}
