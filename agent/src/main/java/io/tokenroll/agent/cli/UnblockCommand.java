package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.pin.PinSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "unblock", header = "Sets a new user PIN on a blocked card, after the server approves.",
    description = {
        "  tokenroll unblock 3f1a --so-pin-source file:/secure/so.pin --new-pin-source prompt",
        "",
        "Creates an Unblock request for the card; once it is approved, logs in as the security officer (the",
        "PKCS#11 counterpart of MIM's card admin key) and sets the new user PIN."})
final class UnblockCommand extends FollowUpCommand {
  @Option(names = "--so-pin-source", required = true, paramLabel = "<source>",
      description = "Where the security officer PIN (a PIV card's PUK) comes from: file:<path>, env:<VARIABLE> or "
          + "prompt.")
  String soPinSource;

  @Option(names = "--new-pin-source", required = true, paramLabel = "<source>",
      description = "Where the new user PIN comes from: file:<path>, env:<VARIABLE> or prompt.")
  String newPinSource;

  @Override
  protected int run() throws Exception {
    PinSource.parse(soPinSource);
    PinSource.parse(newPinSource);
    FileJournal journal = state.journal();
    Enrollment e = followUp(journal, Workflow.UNBLOCK);
    e.soPinSource = soPinSource;
    e.newPinSource = newPinSource;
    journal.store(e);
    return drive(journal, e, false);
  }
}
