package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.TokenPlan;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.agent.journal.PrivateFiles;
import io.tokenroll.agent.provision.CardResult;
import io.tokenroll.agent.provision.ProvisionListener;
import io.tokenroll.agent.provision.Provisioning;
import io.tokenroll.agent.provision.TokenSelector;
import io.tokenroll.pkcs11.pin.PinSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "provision", header = "Enrolls many tokens at once: a helpdesk's stack of cards, a lab's fleet.",
    description = {
        "  tokenroll provision --server https://cm.example.com/ --template \"Smart Card Logon\" \\",
        "      --module /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so --tokens 'desk-*' \\",
        "      --pin-source 'file:/secure/pins/{serial}.pin' --user helpdesk --password-source file:/run/secrets/cm",
        "",
        "Every initialised token of the module that --tokens matches runs the same journaled enrollment as",
        "'tokenroll enroll', several at once. A token whose journal shows an unfinished enrollment for the",
        "template goes on with it; one with a current certificate of the template is skipped (--force enrolls",
        "it again). One card's failure, a wrong PIN included, stops that card only. A killed run loses nothing:",
        "'tokenroll resume' finishes every card. Progress is redrawn in place on a terminal, a line per event",
        "otherwise; the report (a table, or --json, and --report FILE) says what happened to each card."})
final class ProvisionCommand extends EnrollmentCommand {
  @Mixin
  ServerOptions server;

  @Mixin
  RequestOptions request;

  @Mixin
  ModuleOptions module;

  @Option(names = "--tokens", paramLabel = "<all|pattern|list>", defaultValue = "all",
      description = "Which tokens: all (default), a label pattern with * and ? (desk-*), or labels and serials "
          + "separated by commas.")
  String tokens;

  @Option(names = "--readers", paramLabel = "<all|list>",
      description = "The PIV cards in these PC/SC readers: all, or reader names separated by commas (the module "
          + "is then piv).")
  String readers;

  @Option(names = "--pin-source", paramLabel = "<source>",
      description = "Where each card's user PIN comes from: file:<path> or env:<VARIABLE>, the same for every card, "
          + "or a path with {label} or {serial} for each card's own (file:/secure/pins/{serial}.pin).")
  String pinSource;

  @Option(names = "--parallel", paramLabel = "<n>", defaultValue = "0",
      description = "Cards at once (default: two a core, one for modules that write one object at a time; at most "
          + Provisioning.MAX_PARALLEL + ").")
  int parallel;

  @Option(names = "--force", description = "Enroll cards that hold a current certificate of the template too.")
  boolean force;

  @Option(names = "--init", paramLabel = "<label-pattern>",
      description = "First initialise every blank token present (label from the pattern; {n}: a number no present "
          + "token's label has), with --so-pin-source as security officer PIN and the user PIN from --pin-source; "
          + "they are provisioned too.")
  String init;

  @Option(names = "--so-pin-source", paramLabel = "<source>",
      description = "The security officer PIN that --init gives the blank tokens (file: or env:).")
  String soPinSource;

  @Option(names = "--server-pin", paramLabel = "file:<pattern>",
      description = "Where a PIN the server chooses goes: a new 0600 file of each card's own, named by {label} or "
          + "{serial} (file:/secure/new-pins/{serial}.pin). Needed by templates whose server keeps no PIN.")
  String serverPin;

  @Option(names = "--report", paramLabel = "<file>",
      description = "Also write the report as JSON to this new file (0600), for the helpdesk's archive.")
  Path report;

  @Override
  protected int run() throws Exception {
    String pins = pinSource != null ? pinSource : System.getenv("TOKENROLL_PIN_SOURCE");
    if (pins == null) {
      throw new CliException(ExitCodes.INVALID_INPUT, "no PIN source: give --pin-source file:<path>, "
          + "env:<VARIABLE> or file:<dir>/{serial}.pin");
    }
    TokenSelector selector;
    try {
      PinSource.parse(pins.replace("{label}", "label").replace("{serial}", "serial")); // checks the form
      refuseAsking("--pin-source", pins, "card");
      selector = TokenSelector.parse(tokens);
      if (readers != null) {
        if (module.module != null && !module.module.equals(io.tokenroll.pkcs11.piv.PivModule.NAME)) {
          throw new IllegalArgumentException("--readers takes the PIV cards in the PC/SC readers; it does not go "
              + "with --module " + module.module);
        }
        module.module = io.tokenroll.pkcs11.piv.PivModule.NAME;
        selector = new TokenSelector.Both(selector, TokenSelector.readers(readers));
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
    }
    Provisioning.Init blanks = null;
    if (init != null || soPinSource != null) {
      if (init == null || soPinSource == null) {
        throw new CliException(ExitCodes.INVALID_INPUT, "--init and --so-pin-source go together");
      }
      try {
        refuseAsking("--so-pin-source", soPinSource, "blank token");
        blanks = new Provisioning.Init(init, soPinSource);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
      }
    }
    if (serverPin != null) {
      if (!serverPin.startsWith("file:") || !(serverPin.contains("{label}") || serverPin.contains("{serial}"))) {
        throw new CliException(ExitCodes.INVALID_INPUT, "--server-pin must be file:<path> with {label} or {serial} "
            + "in it: each card's PIN in a file of its own (show would print every card's PIN)");
      }
      Path parent = Path.of(serverPin.substring(5)).toAbsolutePath().getParent();
      if (parent == null || !java.nio.file.Files.isDirectory(parent)) {
        throw new CliException(ExitCodes.INVALID_INPUT, "--server-pin: the directory " + parent + " does not exist");
      }
    }
    if (parallel < 0) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--parallel must be at least 1 (or 0: chosen for you)");
    }
    if (report != null) {
      checkReport();
    }
    Enrollment checked = Enrollment.create(Workflow.ENROLL); // the server options, checked before any card is touched
    server.applyTo(checked);
    if ("prompt".equals(checked.login.secretSource())) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--password-source prompt would ask once for every card; give "
          + "file:<path> or env:<VARIABLE>");
    }
    Path library = module.library(null);
    String args = module.moduleArgs();
    // the workers' HTTPS connections are kept for the next request: as many as run at once (the JDK keeps 5)
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", String.valueOf(Provisioning.MAX_PARALLEL));
    }
    Provisioning.Request what = new Provisioning.Request(new TokenPlan.Target(library, request.template, null),
        args, selector, pins, parallel, force, () -> {
          Enrollment e = Enrollment.create(Workflow.ENROLL);
          server.applyTo(e);
          request.applyTo(e);
          return e;
        }, blanks, serverPin);
    LiveProgress live = LiveProgress.onTerminal();
    ProvisionListener progress = live != null ? live : new PlainProgress(spec.commandLine().getErr());
    List<CardResult> results;
    Thread interrupted = interruptedHint(state.directory());
    try {
      results = new Provisioning(state.journal(), state.directory(), settings(), progress, Clock.systemUTC())
          .run(what);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
    } catch (io.tokenroll.agent.enroll.EnrollmentException | io.tokenroll.agent.http.ServerException e) {
      // the template, asked about once before any card: no card was touched
      throw new CliException(ExitCodes.FAILED, e.getMessage() + "; no token was touched");
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(interrupted);
      } catch (IllegalStateException shuttingDown) {
        // the hint is being printed
      }
      if (live != null) {
        live.close();
      }
    }
    if (json()) {
      printJson(results);
    } else {
      Output.Table table = new Output.Table("TOKEN", "SERIAL", "RESULT", "CERTIFICATES", "EXPIRES", "SECONDS",
          "ENROLLMENT", "REASON");
      for (CardResult r : results) {
        table.row(r.token(), r.serial(), r.outcome(), String.join(",", r.certificates().stream()
                .map(CardResult.Certificate::serial).toList()),
            r.certificates().stream().map(c -> String.valueOf(c.notAfter())).min(String::compareTo).orElse(null),
            String.format("%.1f", r.millis() / 1000.0), r.enrollment(), r.reason());
      }
      table.print(out());
    }
    boolean reported = report == null || writeReport(results); // after printing: a failed write loses nothing
    Map<CardResult.Outcome, Long> counts = results.stream().collect(Collectors.groupingBy(CardResult::outcome,
        () -> new EnumMap<>(CardResult.Outcome.class), Collectors.counting()));
    long failed = counts.getOrDefault(CardResult.Outcome.FAILED, 0L);
    long waiting = counts.getOrDefault(CardResult.Outcome.WAITING, 0L);
    note(results.size() + " token(s): " + counts.getOrDefault(CardResult.Outcome.ENROLLED, 0L) + " enrolled, "
        + counts.getOrDefault(CardResult.Outcome.SKIPPED, 0L) + " skipped, " + waiting + " waiting, " + failed
        + " failed");
    return failed > 0 || !reported ? ExitCodes.FAILED : waiting > 0 ? ExitCodes.UNEXPECTED_STATE : ExitCodes.OK;
  }

  /**
   * What a run stopped by Ctrl-C or a TERM signal says on its way out: the cards it started are journaled (each
   * before anything happened to it), and how to finish them — instead of ending without a word.
   */
  private Thread interruptedHint(Path stateDirectory) {
    java.io.PrintStream err = System.err;
    Thread hint = new Thread(() -> err.println("tokenroll: provision was stopped; the cards it started are journaled: "
        + "'tokenroll resume" + (stateDirectory == null ? "" : " --state-dir " + stateDirectory) + "' finishes them, "
        + "and the same provision command again does the rest"), "provision-interrupted");
    Runtime.getRuntime().addShutdownHook(hint);
    return hint;
  }

  /** Before any card: a report goes to a new file, in a directory that is there. */
  private void checkReport() {
    if (report.getFileName() == null || report.toString().isBlank()) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--report needs a file name");
    }
    if (java.nio.file.Files.exists(report, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--report " + report + " already exists; a report is "
          + "written only to a new file");
    }
    Path parent = report.toAbsolutePath().getParent();
    if (parent == null || !java.nio.file.Files.isDirectory(parent)) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--report: the directory " + parent + " does not exist");
    }
  }

  /** Writes the report to its new file; false, said on stderr, when it cannot (the results are printed above). */
  private boolean writeReport(List<CardResult> results) {
    Path file = report.toAbsolutePath();
    try {
      PrivateFiles.createNew(file, file.resolveSibling("." + file.getFileName() + ".tmp"),
          Output.json(results).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      note("--report " + file + " was made by someone else during the run; it is left as it is, and the report "
          + "is only what is printed above");
    } catch (java.io.IOException e) {
      note("cannot write --report " + file + ": " + e + "; the report is only what is printed above");
    }
    return false;
  }

  /** A prompt would ask once for every card: provisioning takes its secrets from files or the environment. */
  private static void refuseAsking(String option, String source, String each) {
    if (source.equals("prompt") || source.startsWith("pinentry")) {
      throw new IllegalArgumentException(option + " " + source + " would ask once for every " + each
          + "; give file: or env:");
    }
  }
}
