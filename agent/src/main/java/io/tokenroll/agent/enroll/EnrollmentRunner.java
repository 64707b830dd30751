package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.AccessDeniedException;
import io.tokenroll.agent.http.ProtocolException;
import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.http.ServerRefusedException;
import io.tokenroll.agent.http.ServerUnavailableException;
import io.tokenroll.agent.journal.Journal;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.agent.http.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Steps an enrollment until it is parked, backing off, stuck or final, and decides what a failure means for it: an unreachable
 * server makes it stuck (the state stays, a later resume goes on); a refusal or a broken answer once keys exist
 * abandons it cleanly (keys removed, request Abandoned), except one about who we are (credentials, TLS trust), which
 * keeps it for resume; a token failure that retrying cannot fix ({@link TokenFailures}) abandons it cleanly, any
 * other token failure stops it as it is, for resume or abandon.
 */
public final class EnrollmentRunner {
  private final Journal journal;
  private final EnrollmentMachine machine;
  private final Consumer<String> progress;
  private final RetryPolicy retry;
  private final java.time.Clock clock;
  private StepObserver observer = StepObserver.NONE;

  public EnrollmentRunner(Journal journal, EnrollmentMachine machine, RetryPolicy retry, Consumer<String> progress) {
    this(journal, machine, retry, progress, java.time.Clock.systemUTC());
  }

  EnrollmentRunner(Journal journal, EnrollmentMachine machine, RetryPolicy retry, Consumer<String> progress,
                   java.time.Clock clock) {
    this.journal = journal;
    this.machine = machine;
    this.retry = retry;
    this.progress = progress;
    this.clock = clock;
  }

  /** Tells {@code observer} of every step from here on. */
  public void observe(StepObserver observer) {
    this.observer = observer;
  }

  /** Continues an enrollment loaded from the journal: in-flight states first become their recovery states. */
  public Step resume(Enrollment e) throws IOException, TokenException, EnrollmentException {
    e.state = e.state.onRestart();
    return start(e);
  }

  /**
   * Goes on with an enrollment that was backing off (its journaled {@code notBefore} has come): the tries already
   * spent count, so a scheduler's runs reach STUCK after the budget as one long run would.
   */
  public Step resumeBackingOff(Enrollment e) throws IOException, TokenException, EnrollmentException {
    e.state = e.state.onRestart();
    return run(e);
  }

  /** Starts a run with the whole retry budget: every run of a command gets all its tries. */
  public Step start(Enrollment e) throws IOException, TokenException, EnrollmentException {
    e.attempts = 0;
    return run(e);
  }

  /**
   * Steps until the enrollment parks, backs off, is stuck or ends. Never sleeps: a server that did not answer
   * gives {@link Step.Wake#BACKING_OFF} with the time the next try may start (journaled), and the caller waits or
   * schedules, then calls this again; after the last try of the budget the enrollment is {@link Step.Wake#STUCK}.
   */
  public Step run(Enrollment e) throws IOException, TokenException, EnrollmentException {
    while (true) {
      Step step;
      try {
        EnrollmentState from = e.state;
        long started = System.nanoTime();
        step = machine.step(e);
        observer.stepped(e, from, System.nanoTime() - started);
        if (e.stuck != null || e.waiting != null || e.notBefore != null) {
          e.stuck = null;
          e.waiting = step.wake() == Step.Wake.PARKED ? step.waiting() : null;
          e.notBefore = null;
          e.attempts = 0;
          journal.store(e);
        } else if (step.wake() == Step.Wake.PARKED && step.waiting() != null) {
          e.waiting = step.waiting();
          journal.store(e);
        }
      } catch (ServerUnavailableException ex) {
        e.state = e.state.onRestart(); // the effect may have happened: check before doing it again
        e.stuck = ex.getMessage();
        e.attempts++;
        if (e.attempts < retry.attempts()) {
          Duration pause = retry.delayBefore(e.attempts);
          e.notBefore = clock.instant().plus(pause);
          remember(e);
          return new Step(e, Step.Wake.BACKING_OFF, "the server did not answer (" + ex.getMessage()
              + "); trying again in " + pause.toMillis() + " ms", null, e.notBefore, ex);
        }
        e.notBefore = null;
        remember(e);
        boolean nothingSent = e.state == EnrollmentState.NEW && e.requestId == null;
        return new Step(e, Step.Wake.STUCK, "the server is unreachable: " + ex.getMessage() + (nothingSent
            ? "; nothing was sent — run the command again later"
            : "; the enrollment is kept — run 'tokenroll resume " + e.id + "' later"));
      } catch (AccessDeniedException ex) {
        if (!keep(e, ex.getMessage())) {
          throw new EnrollmentException(ex.getMessage() + " (nothing was kept: the server has no request of ours; "
              + "fix the credentials or trust and run the command again)", ex);
        }
        throw new EnrollmentException(ex.getMessage() + " (enrollment " + e.id + " is kept in state " + e.state
            + "; fix the credentials or trust, then 'tokenroll resume " + e.id + "')", ex);
      } catch (ServerRefusedException | ProtocolException ex) {
        if (!failed(e, ex)) {
          throw new EnrollmentException(ex.getMessage() + (journal.get(e.id).isPresent()
              ? " (enrollment " + e.id + " is kept in state " + e.state + "; 'tokenroll abandon " + e.id
                  + "' removes it)"
              : " (nothing was kept: the server has no request of ours)"), ex);
        }
        continue; // abandon cleanly
      } catch (ServerException ex) {
        throw new EnrollmentException(ex.getMessage(), ex);
      } catch (TokenException ex) {
        if (TokenFailures.of(ex) == TokenFailures.Verdict.PERMANENT && e.state != EnrollmentState.NEED_ABANDON
            && (e.requestId != null || e.caRequestId != null || hasKeys(e))) {
          abandonFromHere(e, TokenFailures.explain(ex)); // the same step would fail the same way forever
          continue;
        }
        Waiting waiting = TokenFailures.waitsFor(ex);
        if (waiting != null) { // the token or a PIN will be back: park, journaled, until then
          e.waiting = waiting;
          e.pinRefused = TokenFailures.refusesPin(ex);
          boolean kept = keep(e, ex.getMessage());
          return Step.parked(e, waiting, ex.getMessage() + (kept ? " (enrollment " + e.id + " waits for "
              + (waiting == Waiting.TOKEN_ABSENT ? "the token" : "a PIN") + "; 'tokenroll resume " + e.id
              + "' goes on)" : ""), ex);
        }
        e.waiting = null;
        keep(e, ex.getMessage());
        throw ex;
      } catch (EnrollmentException | RuntimeException ex) {
        e.waiting = null;
        keep(e, ex.getMessage());
        throw ex;
      }
      if (step.wake() != Step.Wake.NOW) {
        return step;
      }
    }
  }

  private static boolean hasKeys(Enrollment e) {
    return e.keys.stream().anyMatch(k -> k.stage != KeyPlan.Stage.REMOVED);
  }

  /** Gives up cleanly from the current step: NEED_ABANDON is journaled, and the next step withdraws and removes. */
  private void abandonFromHere(Enrollment e, String why) throws IOException {
    e.lastError = why;
    progress.accept("enrollment " + e.id + ": " + why + " — abandoning it");
    e.state = EnrollmentState.NEED_ABANDON;
    journal.store(e);
    CrashPoints.journaled(EnrollmentState.NEED_ABANDON);
  }

  /** Keeps the enrollment as it is for a later run (in-flight states become their checks); true when journaled. */
  private boolean keep(Enrollment e, String why) throws IOException {
    e.lastError = why;
    e.state = e.state.onRestart();
    return remember(e);
  }

  /** After a refusal: abandon if this enrollment already has something to clean; true when it will. */
  private boolean failed(Enrollment e, ServerException ex) throws IOException {
    // something to clean: a request on a CM server, or keys on the token (a direct CA enrollment has no request
    // to withdraw, but its keys must go)
    boolean hasWork = (e.requestId != null || hasKeys(e))
        && e.state != EnrollmentState.NEED_ABANDON && e.state != EnrollmentState.NEW;
    if (hasWork && e.state.keysMayExist()) {
      abandonFromHere(e, ex.getMessage());
      return true;
    }
    keep(e, ex.getMessage());
    return false;
  }

  /**
   * Journals the enrollment unless nothing has happened yet (a NEW one that never reached the server); true when it
   * is in the journal, so that a message may say it is kept.
   */
  private boolean remember(Enrollment e) throws IOException {
    if (e.state != EnrollmentState.NEW || e.requestId != null || journal.get(e.id).isPresent()) {
      journal.store(e);
      return true;
    }
    return false;
  }
}
