package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import picocli.CommandLine.Parameters;

/** A workflow on a card an earlier enrollment completed (renew, unblock, retire): same server, same token. */
abstract class FollowUpCommand extends EnrollmentCommand {
  @Parameters(paramLabel = "<id>", description = "The completed enrollment of the card.")
  String id;

  protected Enrollment followUp(FileJournal journal, String workflow) throws java.io.IOException {
    Enrollment previous = journal.find(id).orElseThrow(() -> new CliException(ExitCodes.INVALID_INPUT,
        "no enrollment '" + id + "' in " + journal.directory()));
    if (previous.state != EnrollmentState.COMPLETED || previous.supersededBy != null) {
      throw new CliException(ExitCodes.UNEXPECTED_STATE, "enrollment " + previous.id + " is " + previous.state
          + (previous.supersededBy == null ? "" : ", superseded by " + previous.supersededBy)
          + "; " + workflow.toLowerCase() + " needs a completed, current enrollment");
    }
    if (previous.smartcardUuid == null) {
      throw new CliException(ExitCodes.UNEXPECTED_STATE, "enrollment " + previous.id
          + " has no smart card on the server (a software template); " + workflow.toLowerCase()
          + " is a card workflow");
    }
    Enrollment e = Enrollment.create(workflow);
    e.previous = previous.id;
    e.server = previous.server;
    e.login = previous.login;
    e.trustFile = previous.trustFile;
    e.issuerTrustFile = previous.issuerTrustFile;
    e.insecure = previous.insecure;
    e.template = previous.template;
    e.templateUuid = previous.templateUuid;
    e.smartcardTemplate = previous.smartcardTemplate;
    e.library = previous.library;
    e.moduleArgs = previous.moduleArgs;
    e.tokenLabel = previous.tokenLabel;
    e.tokenSerial = previous.tokenSerial;
    e.pinSource = previous.pinSource;
    e.kspMap.putAll(previous.kspMap);
    e.cardId = previous.cardId;
    e.smartcardUuid = previous.smartcardUuid;
    return e;
  }
}
