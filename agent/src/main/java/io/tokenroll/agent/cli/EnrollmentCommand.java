package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentException;
import io.tokenroll.agent.enroll.EnrollmentService;
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
    try {
      step = service(journal).run(e, resume);
    } catch (EnrollmentService.Conflict ex) {
      throw new Busy(ex.getMessage());
    } catch (EnrollmentException ex) {
      throw new CliException(ExitCodes.FAILED, ex.getMessage());
    }
    if (step.wake() == Step.Wake.PARKED && step.cause() != null) {
      throw step.cause(); // no token, no PIN: journaled as parked, reported as the error it is (exit 12, 1)
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
      case PARKED, STUCK, BACKING_OFF, NOW -> ExitCodes.UNEXPECTED_STATE;
    };
  }

  /** The enrollment service with this command's settings; it prints progress as notes and sleeps through backoff. */
  protected EnrollmentService service(FileJournal journal) {
    return new EnrollmentService(journal, state.directory(), settings(), this::note,
        EnrollmentService.Waiter.sleeping(java.time.Clock.systemUTC()));
  }

  /** How this command's runs go: --retries, --retry-delay, --timeout, --no-ca-certs. */
  protected EnrollmentService.Settings settings() {
    if (retries < 1 || retryDelayMs < 0 || timeoutSeconds < 1) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--retries and --timeout must be at least 1");
    }
    RetryPolicy retry = new RetryPolicy(retries, java.time.Duration.ofMillis(retryDelayMs),
        java.time.Duration.ofSeconds(20));
    return new EnrollmentService.Settings(retry, java.time.Duration.ofSeconds(timeoutSeconds), !noCaCerts);
  }

  /** Claims the enrollment for this command (abandon), as a run does. */
  protected EnrollmentClaim claim(FileJournal journal, io.tokenroll.agent.enroll.EnrollmentId id) throws Exception {
    try {
      return service(journal).claim(id);
    } catch (EnrollmentService.Conflict ex) {
      throw new Busy(ex.getMessage());
    }
  }

  /** Another run holds the enrollment: nothing was done to it. */
  static final class Busy extends CliException {
    Busy(String message) {
      super(ExitCodes.UNEXPECTED_STATE, message);
    }
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
    if (v.renewAfter() != null && e.state == EnrollmentState.COMPLETED) {
      out().println("  renewal due after " + v.renewAfter());
    }
    if (v.waitingFor() != null) {
      out().println("  waiting for: " + v.waitingFor());
    }
    out().flush();
  }
}
