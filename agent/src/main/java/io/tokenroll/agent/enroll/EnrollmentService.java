package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.RetryPolicy;
import io.tokenroll.agent.journal.EnrollmentClaim;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs enrollments for whoever asks — the CLI today, the agent and helpdesk provisioning next: claims one for this
 * process, assembles what runs it from its journal entry, logs in before the server hears of it, and steps it until
 * it parks, is stuck or ends. A server that does not answer is waited out here with the {@link Waiter} the caller
 * chose (the CLI sleeps); the steps under it never sleep.
 */
public final class EnrollmentService {
  /** How runs go: tries per step that needs the server, one answer's timeout, CA certificates on the token. */
  public record Settings(RetryPolicy retry, Duration timeout, boolean writeCaCertificates) {
  }

  /** Waits until a backing-off enrollment may run again. */
  @FunctionalInterface
  public interface Waiter {
    void until(Instant time) throws InterruptedException;

    /** Sleeps in this thread until the time comes (the CLI: a person is watching one enrollment). */
    static Waiter sleeping(Clock clock) {
      return time -> {
        long ms = Duration.between(clock.instant(), time).toMillis();
        if (ms > 0) {
          Thread.sleep(ms);
        }
      };
    }
  }

  /** Another run holds the enrollment, or moved it on since this one read it: nothing was done to it. */
  public static final class Conflict extends EnrollmentException {
    public Conflict(String message) {
      super(message);
    }
  }

  private final FileJournal journal;
  private final Path stateDirectory;
  private final Settings settings;
  private final Consumer<String> progress;
  private final Waiter waiter;
  private final StepObserver observer;

  public EnrollmentService(FileJournal journal, Path stateDirectory, Settings settings, Consumer<String> progress,
                           Waiter waiter) {
    this(journal, stateDirectory, settings, progress, waiter, StepObserver.NONE);
  }

  /** As above, with {@code observer} told of every step of every run. */
  public EnrollmentService(FileJournal journal, Path stateDirectory, Settings settings, Consumer<String> progress,
                           Waiter waiter, StepObserver observer) {
    this.journal = journal;
    this.stateDirectory = stateDirectory;
    this.settings = settings;
    this.progress = progress;
    this.waiter = waiter;
    this.observer = observer;
  }

  /**
   * Asks the server once about the template of {@code prototype}, a new enrollment not journaled (its name, the
   * workflow's policy, the card configuration), so that enrollments that {@link Enrollment#takeTemplateOf take it
   * over} skip those requests: a provisioning run asks once, not once a card. Nothing for a CA (certsrv).
   */
  public void resolveTemplate(Enrollment prototype)
      throws IOException, GeneralSecurityException, EnrollmentException, io.tokenroll.agent.http.ServerException {
    try (EnrollmentContext ctx = new EnrollmentContext(prototype, journal, stateDirectory, settings.retry(),
        settings.timeout(), settings.writeCaCertificates(), progress)) {
      if (ctx.cm() != null) {
        MimCmProtocol.resolveTemplate(ctx.cm(), prototype);
      }
    }
  }

  /** Claims the enrollment for this process, or says which process has it. */
  public EnrollmentClaim claim(EnrollmentId id) throws IOException, Conflict {
    return journal.claim(id).orElseThrow(() -> new Conflict("enrollment " + id + " is being run by another "
        + "tokenroll process; see 'tokenroll status " + id + "' and try again once it is done"));
  }

  /**
   * Runs a new enrollment ({@code resume} false) or one from the journal until it parks, is stuck or ends. The
   * step it stops at says which; a parked token or PIN carries its cause.
   */
  public Step run(Enrollment e, boolean resume)
      throws IOException, GeneralSecurityException, TokenException, EnrollmentException {
    return run(e, resume, true);
  }

  /**
   * Runs it once, as a scheduler does: like {@link #run(Enrollment, boolean)}, but a server that does not answer
   * ends the run at once with {@link Step.Wake#BACKING_OFF} and the journaled time of the next try.
   */
  public Step runOnce(Enrollment e, boolean resume)
      throws IOException, GeneralSecurityException, TokenException, EnrollmentException {
    return run(e, resume, false);
  }

  private Step run(Enrollment e, boolean resume, boolean waitOutBackoff)
      throws IOException, GeneralSecurityException, TokenException, EnrollmentException {
    try (EnrollmentClaim claim = claim(e.id);
         EnrollmentContext ctx = new EnrollmentContext(e, journal, stateDirectory, settings.retry(),
             settings.timeout(), settings.writeCaCertificates(), progress)) {
      requireCurrent(e);
      ctx.runner().observe(observer);
      try {
        if (logsInFirst(e, ctx)) {
          ctx.token().session(); // a wrong PIN stops here, before anything reaches the server
        }
        Step step = !resume ? ctx.runner().start(e)
            : !waitOutBackoff && e.notBefore != null ? ctx.runner().resumeBackingOff(e) : ctx.runner().resume(e);
        while (waitOutBackoff && step.wake() == Step.Wake.BACKING_OFF) {
          progress.accept(step.message());
          waiter.until(step.notBefore());
          step = ctx.runner().run(e);
        }
        return step;
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new EnrollmentException("interrupted while waiting for the server; enrollment " + e.id
            + " is kept — 'tokenroll resume " + e.id + "' goes on");
      } catch (TokenException ex) {
        Waiting waiting = TokenFailures.waitsFor(ex);
        if (waiting != null) { // the login before the run: the same parking as within it, journaled alike
          e.waiting = waiting;
          e.pinRefused = TokenFailures.refusesPin(ex);
          e.lastError = ex.getMessage(); // what 'status' says it waits for
          if (journal.get(e.id).isPresent()) {
            journal.store(e);
          }
          return Step.parked(e, waiting, ex.getMessage(), ex);
        }
        throw ex;
      } finally {
        if (e.state.isFinal()) {
          claim.removeOnClose();
        }
      }
    }
  }

  /** Stops a run that started from a journal entry another run has moved on since (its copy is stale). */
  private void requireCurrent(Enrollment e) throws IOException, Conflict {
    var journaled = journal.get(e.id);
    if (journaled.isPresent() && (journaled.get().state != e.state
        || !Objects.equals(journaled.get().updated, e.updated))) {
      throw new Conflict("enrollment " + e.id + " moved on to " + journaled.get().state + " in another tokenroll "
          + "process while this one started; run the command again");
    }
  }

  /**
   * Whether to log in before the run: not to unblock (no user PIN works), not when the step itself must find out
   * with one login which PIN the token has (after a crash while its PIN changed), not to abandon (the step opens
   * what it needs: nothing when the enrollment left nothing on the token, or the token is lost), and not on a card
   * whose user PIN was never set that is about to get the server's PIN as security officer.
   */
  private static boolean logsInFirst(Enrollment e, EnrollmentContext ctx) throws TokenException {
    boolean settlingPin = e.state == EnrollmentState.CHANGING_PIN || e.state == EnrollmentState.PIN_UNCERTAIN;
    if (e.workflow == Workflow.UNBLOCK || e.state.isFinal() || settlingPin
        || e.state == EnrollmentState.NEED_ABANDON) {
      return false;
    }
    boolean settingPinAsOfficer = e.workflow == Workflow.ENROLL && e.soPinSource != null && !e.pinChanged;
    return !settingPinAsOfficer
        || ctx.token().anonymousSession().refreshInfo().has(TokenInfo.Flag.USER_PIN_INITIALIZED);
  }
}
