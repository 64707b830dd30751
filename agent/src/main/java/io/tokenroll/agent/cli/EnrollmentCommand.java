package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentContext;
import io.tokenroll.agent.enroll.EnrollmentException;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.enroll.Step;
import io.tokenroll.agent.http.RetryPolicy;
import io.tokenroll.agent.journal.EnrollmentClaim;
import io.tokenroll.agent.journal.FileJournal;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every command that drives an enrollment shares: the journal, running it, reporting how it ended. */
abstract class EnrollmentCommand extends BaseCommand {
  @Mixin
  StateOptions state;

  @Option(names = "--no-ca-certs", description = "Do not write the CA certificates of the chain to the token.")
  boolean noCaCerts;

  @Option(names = "--retries", paramLabel = "<n>", defaultValue = "5",
      description = "Tries of each step that needs the server before the enrollment is left stuck "
          + "(default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(names = "--retry-delay", paramLabel = "<ms>", defaultValue = "500",
      description = "First pause between tries; it doubles, with jitter, up to 20 s (default: ${DEFAULT-VALUE}).")
  long retryDelayMs;

  @Option(names = "--timeout", paramLabel = "<seconds>", defaultValue = "60",
      description = "How long to wait for one server answer (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  /** Runs (or resumes) an enrollment until it is done, parked or stuck; prints it; returns the exit code. */
  protected int drive(FileJournal journal, Enrollment e, boolean resume) throws Exception {
    Step step;
    if (retries < 1 || retryDelayMs < 0 || timeoutSeconds < 1) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--retries and --timeout must be at least 1");
    }
    RetryPolicy retry = new RetryPolicy(retries, java.time.Duration.ofMillis(retryDelayMs),
        java.time.Duration.ofSeconds(20));
    try (EnrollmentClaim claim = claim(journal, e.id);
         EnrollmentContext ctx = new EnrollmentContext(e, journal, state.directory(), retry,
        java.time.Duration.ofSeconds(timeoutSeconds), !noCaCerts, this::note)) {
      requireCurrent(journal, e);
      if (needsTokenNow(e) && !(settingPinAsOfficer(e) && !userPinInitialized(ctx))) {
        ctx.token().session(); // log in before anything reaches the server: a wrong PIN stops here
      }
      try {
        step = resume ? ctx.runner().resume(e) : ctx.runner().run(e);
      } finally {
        if (e.state.isFinal()) {
          claim.removeOnClose();
        }
      }
    } catch (EnrollmentException ex) {
      throw new CliException(ExitCodes.FAILED, ex.getMessage());
    }
    show(e);
    if (step.message() != null && step.wake() != Step.Wake.DONE || e.state != EnrollmentState.COMPLETED
        && step.message() != null) {
      note(step.message());
    }
    return switch (step.wake()) {
      case DONE -> switch (e.state) {
        case COMPLETED -> ExitCodes.OK;
        case DENIED, CANCELED -> ExitCodes.UNEXPECTED_STATE;
        default -> ExitCodes.FAILED;
      };
      case PARKED, STUCK, NOW -> ExitCodes.UNEXPECTED_STATE;
    };
  }

  /**
   * Claims the enrollment for this run; {@link #requireCurrent} then stops a run that started from a journal entry
   * another run has moved on since (its copy is stale).
   */
  protected static EnrollmentClaim claim(FileJournal journal, String id) throws Exception {
    return journal.claim(id).orElseThrow(() -> new Busy("enrollment " + id + " is being run by another tokenroll "
        + "process; see 'tokenroll status " + id + "' and try again once it is done"));
  }

  /** Another run holds the enrollment: nothing was done to it. */
  static final class Busy extends CliException {
    Busy(String message) {
      super(ExitCodes.UNEXPECTED_STATE, message);
    }
  }

  private static void requireCurrent(FileJournal journal, Enrollment e) throws Exception {
    var journaled = journal.get(e.id);
    if (journaled.isPresent() && (journaled.get().state != e.state
        || !java.util.Objects.equals(journaled.get().updated, e.updated))) {
      throw new CliException(ExitCodes.UNEXPECTED_STATE, "enrollment " + e.id + " moved on to "
          + journaled.get().state + " in another tokenroll process while this one started; run the command again");
    }
  }

  /**
   * Whether to log in before the run: not to unblock (no user PIN works), and not when the step itself must find
   * out with one login which PIN the token has (after a crash while its PIN changed). A card whose user PIN was
   * never set, about to get the server's PIN as security officer, is not logged in to either (the caller checks).
   */
  private static boolean needsTokenNow(Enrollment e) {
    boolean settlingPin = e.state == io.tokenroll.agent.enroll.EnrollmentState.CHANGING_PIN
        || e.state == io.tokenroll.agent.enroll.EnrollmentState.PIN_UNCERTAIN;
    return !e.workflow.equals("Unblock") && !e.state.isFinal() && !settlingPin;
  }

  private static boolean settingPinAsOfficer(Enrollment e) {
    return e.workflow.equals("Enroll") && e.soPinSource != null && !e.pinChanged;
  }

  private static boolean userPinInitialized(EnrollmentContext ctx) throws io.tokenroll.pkcs11.TokenException {
    return ctx.token().anonymousSession().refreshInfo().has(io.tokenroll.pkcs11.TokenInfo.Flag.USER_PIN_INITIALIZED);
  }

  protected void show(Enrollment e) {
    EnrollmentViews.View v = EnrollmentViews.of(e);
    if (json()) {
      printJson(v);
      return;
    }
    out().println("enrollment " + v.id() + " (" + v.workflow() + ", template '" + v.template() + "', token '"
        + v.token() + "'): " + v.state());
    if (v.request() != null) {
      out().println("  request " + v.request() + (v.serverStatus() == null ? "" : " (" + v.serverStatus() + ")"));
    }
    if (v.caRequest() != null) {
      out().println("  CA request " + v.caRequest() + (v.serverStatus() == null ? "" : ": " + v.serverStatus()));
    }
    for (EnrollmentViews.ItemView i : v.items()) {
      out().println("  item " + i.item() + ": " + i.result() + " — " + i.detail()
          + (i.keyId() == null ? "" : " [key " + i.keyId() + ", serial " + i.serial() + "]"));
    }
    if (v.waitingFor() != null) {
      out().println("  waiting for: " + v.waitingFor());
    }
    out().flush();
  }
}
