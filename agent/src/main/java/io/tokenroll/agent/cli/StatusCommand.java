package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.journal.FileJournal;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", header = "Shows every tracked enrollment, its state and what it waits for.",
    description = {
        "  tokenroll status            (a table of all enrollments)",
        "  tokenroll status 3f1a --json (one enrollment in full, as JSON)"})
final class StatusCommand extends BaseCommand {
  @Mixin
  StateOptions state;

  @Parameters(arity = "0..1", paramLabel = "<id>", description = "One enrollment, shown in full.")
  String id;

  @Option(names = "--all", description = "Include enrollments that were retired or renewed.")
  boolean all;

  @Override
  protected int run() throws Exception {
    FileJournal journal = state.journal();
    FileJournal.Listing listing = id != null ? null : journal.list();
    List<Enrollment> list = id != null
        ? List.of(journal.find(id).orElseThrow(() -> new CliException(ExitCodes.INVALID_INPUT,
            "no enrollment '" + id + "' in " + journal.directory())))
        : listing.enrollments().stream().filter(e -> all || e.supersededBy == null).toList();
    if (listing != null) {
      listing.unreadable().forEach(this::note); // a damaged file is named; the others are still shown
    }
    if (json()) {
      printJson(id != null ? EnrollmentViews.of(list.get(0)) : list.stream().map(EnrollmentViews::of).toList());
      return ExitCodes.OK;
    }
    if (id != null) {
      out().println(Output.json(EnrollmentViews.of(list.get(0))));
      return ExitCodes.OK;
    }
    Output.Table t = new Output.Table("ID", "WORKFLOW", "STATE", "TEMPLATE", "TOKEN", "REQUEST", "WAITING FOR");
    for (Enrollment e : list) {
      t.row(e.id, e.workflow, e.state, e.template, e.tokenLabel(), e.requestId, EnrollmentViews.waitingFor(e));
    }
    t.print(out());
    if (list.isEmpty()) {
      note("no enrollments in " + journal.directory());
    }
    return ExitCodes.OK;
  }
}
