package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.agent.journal.FileJournal;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resume", header = "Continues enrollments: after an approval, an outage or a crash.",
    description = {
        "  tokenroll resume 20261123T1040-3f1a2b4c   (one enrollment, by its id or an unambiguous start or end of it)",
        "  tokenroll resume                          (every enrollment that is not finished)",
        "",
        "An interrupted step is checked with the server before it is repeated: a request created just before a",
        "crash is found by the id in its comment; certificate requests are sent again only if the server never",
        "took them. Keys left half-made on the token are removed or finished."})
final class ResumeCommand extends EnrollmentCommand {
  @Parameters(arity = "0..1", paramLabel = "<id>", description = "The enrollment (default: all unfinished).")
  String id;

  @Option(names = "--pin-source", paramLabel = "<source>", description = "Replace the journaled PIN source.")
  String pinSource;

  @Option(names = {"--password-source", "--token-source"}, paramLabel = "<source>",
      description = "Replace the journaled source of the password (Basic) or bearer token.")
  String passwordSource;

  @Override
  protected int run() throws Exception {
    FileJournal journal = state.journal();
    FileJournal.Listing listing = id != null ? null : journal.list();
    List<Enrollment> todo = id != null
        ? List.of(journal.find(id).orElseThrow(() -> new CliException(ExitCodes.INVALID_INPUT,
            "no enrollment '" + id + "' in " + journal.directory())))
        : listing.enrollments().stream().filter(e -> !e.state.isFinal()).toList();
    if (listing != null) {
      listing.unreadable().forEach(this::note); // skipped, named: the others still go on
    }
    if (todo.isEmpty()) {
      note("nothing to resume in " + journal.directory());
      return ExitCodes.OK;
    }
    int worst = ExitCodes.OK;
    for (Enrollment e : todo) {
      if (e.state.isFinal()) {
        show(e);
        note("enrollment " + e.id + " is already " + e.state);
        continue;
      }
      if (pinSource != null) {
        e.pinSource = pinSource;
        e.pinRefused = false; // a new source: the agent may try it
      } else if (e.pinRefused) { // cards lock: what the token refused is never tried again, only another source
        boolean unblock = e.workflow == Workflow.UNBLOCK;
        note("enrollment " + e.id + ": the token refused the " + (unblock ? "security officer PIN (PUK)" : "PIN")
            + " from its source, and it is not tried again — " + (unblock
            ? "abandon it ('tokenroll abandon " + e.id + "') and unblock again with the right source"
            : "resume it with --pin-source <another source>"));
        worst = Math.max(worst, ExitCodes.PIN_INCORRECT);
        continue;
      }
      if (passwordSource != null) {
        e.login = e.login.withSecretSource(passwordSource);
      }
      int code;
      try {
        code = drive(journal, e, true);
      } catch (Busy busy) {
        if (id != null) {
          throw busy;
        }
        note(busy.getMessage()); // resuming everything: the others still get their turn
        code = busy.exitCode();
      } catch (Exception failed) {
        if (id != null) {
          throw failed;
        }
        // resuming everything, one enrollment's failure (its token absent, its server down) is its own: the others
        // still get their turn (hostile probe: an absent card kept an approved one on another card from finishing)
        note("enrollment " + e.id + ": " + failed.getMessage());
        code = Cli.exitCode(failed);
      }
      worst = Math.max(worst, code);
    }
    return worst;
  }
}
