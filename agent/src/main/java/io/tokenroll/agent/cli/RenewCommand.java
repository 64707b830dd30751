package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.agent.journal.FileJournal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "renew", header = "Renews a card's certificates with new keys.",
    description = {
        "  tokenroll renew 3f1a   (a Renew request for the card; new keys; the old ones go once the new are in)",
        "",
        "The new keys are made next to the old ones; only after every new certificate is installed and checked",
        "are the old signing key and certificate removed. Old decryption keys stay, as key history."})
final class RenewCommand extends FollowUpCommand {
  @Option(names = "--pin-source", paramLabel = "<source>", description = "Replace the journaled PIN source.")
  String pinSource;

  @Override
  protected int run() throws Exception {
    FileJournal journal = state.journal();
    Enrollment e = followUp(journal, Workflow.RENEW);
    if (pinSource != null) {
      e.pinSource = pinSource;
    }
    journal.store(e);
    return drive(journal, e, false);
  }
}
