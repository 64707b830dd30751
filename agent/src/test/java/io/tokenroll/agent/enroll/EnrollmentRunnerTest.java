package io.tokenroll.agent.enroll;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.http.RetryPolicy;
import io.tokenroll.agent.http.ServerUnavailableException;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.pkcs11.PinUnavailableException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenNotFoundException;
import io.tokenroll.pkcs11.TokenSession;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's transitions in milliseconds, without a token or a server: a scripted protocol says what each step
 * does (moves on, parks, or fails as a server or token would), the journal is a real one in a temporary directory.
 * What is checked is what a scheduler needs: when a run stops, why, when it may go on, and that all of it is
 * journaled — never a sleep.
 */
class EnrollmentRunnerTest {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir
  Path dir;

  /** Each step takes the next action: move to a state, park, or throw. */
  interface Action {
    Step apply(Enrollment e) throws Exception;
  }

  static final class ScriptedProtocol implements Protocol {
    final Deque<Action> script = new ArrayDeque<>();
    final List<EnrollmentState> seen = new ArrayList<>();

    @Override
    public Step step(Enrollment e) throws java.io.IOException, io.tokenroll.agent.http.ServerException,
        TokenException, EnrollmentException {
      seen.add(e.state);
      Action next = script.poll();
      if (next == null) {
        throw new AssertionError("the script ran out at " + e.state);
      }
      try {
        return next.apply(e);
      } catch (java.io.IOException | io.tokenroll.agent.http.ServerException | TokenException
               | EnrollmentException | RuntimeException ex) {
        throw ex;
      } catch (Exception ex) {
        throw new AssertionError(ex);
      }
    }

    @Override
    public void installed(Enrollment e, TokenSession session) {
    }

    @Override
    public void abandon(Enrollment e) {
    }

    @Override
    public void authenticateAdministrator(Enrollment e, io.tokenroll.pkcs11.TokenSession session) {
    }
  }

  /** A token that is never reached: the scripted steps stay on the server side. */
  static final class NoToken implements TokenAccess {
    @Override
    public TokenSession session() throws TokenException {
      throw new TokenNotFoundException("no token in this test");
    }

    @Override
    public TokenSession anonymousSession() throws TokenException {
      throw new TokenNotFoundException("no token in this test");
    }

    @Override
    public TokenLock lock() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
  }

  private FileJournal journal;
  private final ScriptedProtocol protocol = new ScriptedProtocol();

  private EnrollmentRunner runner(int attempts) throws Exception {
    journal = new FileJournal(dir.resolve("enrollments"));
    StateWriter states = new StateWriter(journal, m -> { });
    EnrollmentMachine machine = new EnrollmentMachine(states, protocol, new NoToken(),
        new IssuerTrust(List.of(), false), false);
    return new EnrollmentRunner(journal, machine, new RetryPolicy(attempts, Duration.ofSeconds(1),
        Duration.ofSeconds(20)), m -> { }, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static Action moveTo(EnrollmentState next) {
    return e -> {
      e.state = next;
      return Step.now(e);
    };
  }

  private static Action fail(Exception ex) {
    return e -> {
      throw ex;
    };
  }

  private static Enrollment requested() {
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    e.state = EnrollmentState.REQUESTED;
    e.requestId = java.util.UUID.randomUUID();
    return e;
  }

  @Test
  void aServerThatDoesNotAnswer_backsOff_withTheNextTryJournaled_thenGoesOn() throws Exception {
    EnrollmentRunner r = runner(5);
    Enrollment e = requested();
    protocol.script.add(fail(new ServerUnavailableException("connection refused", false, null)));
    protocol.script.add(fail(new ServerUnavailableException("connection refused", false, null)));
    protocol.script.add(e2 -> Step.parked(e2, Waiting.APPROVAL, "waits for approval", null));
    Step first = r.start(e);
    assertEquals(Step.Wake.BACKING_OFF, first.wake());
    assertTrue(first.notBefore().isAfter(NOW), "a time to come back, not a sleep");
    assertEquals(first.notBefore(), journal.get(e.id).orElseThrow().notBefore, "journaled: a restart knows it");
    Step second = r.run(e);
    assertEquals(Step.Wake.BACKING_OFF, second.wake());
    assertTrue(second.notBefore().isAfter(first.notBefore().minusMillis(1)), "no shorter than the first wait");
    Step third = r.run(e);
    assertEquals(Step.Wake.PARKED, third.wake());
    assertEquals(Waiting.APPROVAL, third.waiting());
    Enrollment journaled = journal.get(e.id).orElseThrow();
    assertNull(journaled.notBefore, "no longer backing off");
    assertNull(journaled.stuck);
    assertEquals(Waiting.APPROVAL, journaled.waiting);
    assertEquals(3, protocol.seen.size());
  }

  @Test
  void afterTheLastTry_itIsStuck_andAnotherRunGetsAWholeBudget() throws Exception {
    EnrollmentRunner r = runner(2);
    Enrollment e = requested();
    for (int i = 0; i < 4; i++) {
      protocol.script.add(fail(new ServerUnavailableException("503", true, null)));
    }
    assertEquals(Step.Wake.BACKING_OFF, r.start(e).wake());
    Step stuck = r.run(e);
    assertEquals(Step.Wake.STUCK, stuck.wake());
    assertTrue(journal.get(e.id).orElseThrow().stuck.contains("503"));
    assertEquals(Step.Wake.BACKING_OFF, r.start(e).wake(), "a new run starts its tries again");
  }

  @Test
  void aTokenThatIsNotThere_orAPinThatCannotBeHad_parksTheEnrollment() throws Exception {
    EnrollmentRunner r = runner(5);
    Enrollment e = requested();
    protocol.script.add(fail(new TokenNotFoundException("no token 'alice' (card removed)")));
    Step absent = r.start(e);
    assertEquals(Step.Wake.PARKED, absent.wake());
    assertEquals(Waiting.TOKEN_ABSENT, absent.waiting());
    assertInstanceOf(TokenNotFoundException.class, absent.cause());
    assertEquals(Waiting.TOKEN_ABSENT, journal.get(e.id).orElseThrow().waiting);
    assertEquals(EnrollmentState.REQUESTED, journal.get(e.id).orElseThrow().state, "kept where it was");

    protocol.script.add(fail(new PinUnavailableException("no terminal to ask for the user PIN")));
    Step pin = r.start(e);
    assertEquals(Waiting.PIN_NEEDED, pin.waiting());
    assertEquals(Waiting.PIN_NEEDED, journal.get(e.id).orElseThrow().waiting);

    protocol.script.add(moveTo(EnrollmentState.NEED_COMPLETE));
    protocol.script.add(e2 -> {
      e2.state = EnrollmentState.COMPLETED;
      return new Step(e2, Step.Wake.DONE, null);
    });
    Step done = r.start(e);
    assertEquals(Step.Wake.DONE, done.wake());
    assertNull(journal.get(e.id).orElseThrow().waiting, "the wait is over once a step goes through");
  }

  @Test
  void inFlightStates_areCheckedBeforeTheyAreRepeated_onResume() throws Exception {
    EnrollmentRunner r = runner(5);
    Enrollment e = requested();
    e.state = EnrollmentState.CREATING_REQUEST;
    protocol.script.add(e2 -> Step.parked(e2, Waiting.APPROVAL, "waits", null));
    r.resume(e);
    assertEquals(List.of(EnrollmentState.REQUEST_UNCERTAIN), protocol.seen);
  }
}
