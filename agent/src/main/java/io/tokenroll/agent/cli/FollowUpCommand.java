package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.agent.journal.FileJournal;
import picocli.CommandLine.Parameters;

/** A workflow on a card an earlier enrollment completed (renew, unblock, retire): same server, same token. */
abstract class FollowUpCommand extends EnrollmentCommand {
  @Parameters(paramLabel = "<id>", description = "The completed enrollment of the card.")
  String id;

  protected Enrollment followUp(FileJournal journal, Workflow workflow) throws java.io.IOException {
    Enrollment previous = journal.find(id).orElseThrow(() -> new CliException(ExitCodes.INVALID_INPUT,
        "no enrollment '" + id + "' in " + journal.directory()));
    try {
      return Enrollment.followUp(previous, workflow);
    } catch (IllegalStateException ex) {
      throw new CliException(ExitCodes.UNEXPECTED_STATE, ex.getMessage());
    }
  }
}
