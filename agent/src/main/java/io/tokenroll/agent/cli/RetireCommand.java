package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.agent.journal.FileJournal;
import picocli.CommandLine.Command;

@Command(name = "retire", header = "Retires a card: removes what tokenroll put on it and tells the server.",
    description = {
        "  tokenroll retire 3f1a   (a Retire request; keys and certificates removed; the card marked Retired)"})
final class RetireCommand extends FollowUpCommand {
  @Override
  protected int run() throws Exception {
    FileJournal journal = state.journal();
    Enrollment e = followUp(journal, Workflow.RETIRE);
    journal.store(e);
    return drive(journal, e, false);
  }
}
