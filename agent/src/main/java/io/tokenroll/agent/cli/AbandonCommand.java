package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentId;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "abandon", header = "Gives up an enrollment cleanly.",
    description = {
        "  tokenroll abandon 3f1a2b4c   (its id's end; the server request is canceled or abandoned, and the keys it "
        + "made are removed)",
        "  tokenroll abandon 3f1a2b4c --token-lost   (a lost or broken card: the server request only; the journal "
        + "says what stays on the card)"})
final class AbandonCommand extends EnrollmentCommand {
  @Parameters(paramLabel = "<id>", description = "The enrollment.")
  String id;

  @Option(names = "--token-lost", description = "The token is lost or destroyed: give up the server request "
      + "without it. The keys the enrollment generated stay on the token; the journal says so, and whether the "
      + "server issued certificates to have revoked.")
  boolean tokenLost;

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
      e.tokenLost = tokenLost; // journaled: a resume after a crash does not look for it either (a card found
      // again after an abandon that could not finish is cleaned by a plain abandon)
      e.state = EnrollmentState.NEED_ABANDON;
      journal.store(e);
    }
    int code = drive(journal, e, false);
    return e.state == EnrollmentState.ABANDONED ? ExitCodes.OK : code;
  }
}
