package io.tokenroll.agent.daemon;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentId;
import io.tokenroll.agent.enroll.EnrollmentService;
import io.tokenroll.agent.enroll.Step;
import io.tokenroll.agent.enroll.TokenPlan;
import io.tokenroll.agent.enroll.Waiting;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.agent.journal.JournalIndex;
import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenRef;
import io.tokenroll.pkcs11.TokenSession;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The background agent: looks at the tokens its rules name, and for each one present goes on with its unfinished
 * enrollment, enrolls it, or renews it when due — then decides when to look again, as certmonger's scheduler does:
 * an enrollment waiting for approval is asked about with a doubling interval (jitter, a ceiling), one whose server
 * did not answer comes back at its journaled time, one that needs a PIN waits for someone to give one. Nothing
 * sleeps but the loop between rounds; every decision is read from the journal, so a restart decides the same.
 */
public final class Agent {
  private final AgentConfig config;
  private final FileJournal journal;
  /** What each round reads: the journal, parsed again only where a file changed. */
  private final JournalIndex index;
  private final EnrollmentService service;
  private final Consumer<LogLine> log;
  /** The enrollment being run, so that progress lines from inside the run carry its id. */
  private volatile EnrollmentId current;
  private final Clock clock;
  private final Map<EnrollmentId, Instant> lookAgain = new HashMap<>();
  /** How often each enrollment, and each rule's token that failed to start one, has been polled: the doubling. */
  private final Map<EnrollmentId, Integer> enrollmentPolls = new HashMap<>();
  private final Map<String, Integer> startPolls = new HashMap<>();
  /** Per rule and token: no new enrollment or renewal before this (one that failed to start backs off). */
  private final Map<String, Instant> tokenBackoff = new HashMap<>();
  private final java.util.Set<String> reported = new java.util.HashSet<>();
  /** The journal's unreadable files already logged, each with why: said once while it stays so. */
  private final java.util.Set<String> unreadableSaid = new java.util.HashSet<>();
  /** Why each rule's module could not list its tokens at the last look: said when it changes, not every scan. */
  private final Map<String, String> listingFailures = new HashMap<>();
  /** Enrollments without dates whose certificates the token does not hold: looked for once per process. */
  private final java.util.Set<EnrollmentId> undatable = new java.util.HashSet<>();
  private volatile boolean stopping;
  private volatile CardReaders cards;
  private volatile boolean woken;

  /**
   * One line of the agent's log: what happened, and to which rule, token and enrollment — the enrollment id is
   * the correlation id the server sees too (in the request's comment and an X-Correlation-ID header).
   */
  public record LogLine(String rule, String token, String enrollment, String message) {
    public String text() {
      return (rule == null ? "" : "rule " + rule + (token == null ? "" : ", token '" + token + "'") + ": ") + message;
    }
  }

  public Agent(AgentConfig config, FileJournal journal, Path stateDirectory, Consumer<LogLine> log, Clock clock) {
    this.config = config;
    this.journal = journal;
    this.index = new JournalIndex(journal);
    this.log = log;
    this.clock = clock;
    this.service = new EnrollmentService(journal, stateDirectory, new EnrollmentService.Settings(
        new io.tokenroll.agent.http.RetryPolicy(config.retries(), Duration.ofSeconds(1), config.pollCeiling()),
        Duration.ofSeconds(60), true),
        m -> log.accept(new LogLine(null, null, current == null ? null : current.value(), m)),
        EnrollmentService.Waiter.sleeping(clock));
  }

  /** What one round did: a line per action, and how many of them failed. */
  public record Round(List<String> actions, int failures) {
  }

  /** Runs every due action once: each rule's present tokens, each their due enrollment. */
  public Round runOnce() {
    return round(clock.instant());
  }

  /** A round that decides what is due as of {@code now}, its start. */
  private Round round(Instant now) {
    List<String> done = new ArrayList<>();
    failures = 0;
    List<Enrollment> all;
    try {
      all = index.enrollments();
    } catch (java.io.IOException e) {
      log.accept(new LogLine(null, null, null, "cannot read the journal: " + e.getMessage()));
      return new Round(done, 1);
    }
    // A journal file that cannot be read may be the enrollment of a token about to be decided on: until it is
    // fixed or removed, nothing new is started (hostile probe: a renamed entry got its token enrolled again)
    List<String> unreadable = index.unreadable();
    unreadableSaid.retainAll(unreadable); // a file that breaks again is said again
    for (String why : unreadable) {
      if (unreadableSaid.add(why)) {
        log.accept(new LogLine(null, null, null, why + "; no new enrollment starts until it is fixed or removed"));
      }
    }
    if (!unreadable.isEmpty()) {
      failures++;
    }
    // only unfinished, journaled enrollments are scheduled: the rest would be waited for forever
    java.util.Set<EnrollmentId> unfinished = new java.util.HashSet<>();
    all.stream().filter(e -> !e.state.isFinal()).forEach(e -> unfinished.add(e.id));
    lookAgain.keySet().retainAll(unfinished);
    enrollmentPolls.keySet().retainAll(unfinished);
    for (AgentConfig.Rule rule : config.rules()) {
      for (TokenInfo token : present(rule)) {
        if (stopping) {
          return new Round(done, failures);
        }
        TokenPlan plan = TokenPlan.of(rule.target(), token, all, now);
        LogLine what = act(rule, token, plan, now);
        current = null;
        if (what != null) {
          done.add(what.text());
          log.accept(what);
        }
      }
    }
    return new Round(done, failures);
  }

  private int failures;

  /** Rounds until {@link #stop()}: every scan interval, or sooner when an enrollment's time comes. */
  public void run() throws InterruptedException {
    while (!stopping) {
      Instant started = clock.instant();
      round(started);
      Instant now = clock.instant();
      Instant next = now.plus(config.scanInterval());
      // An enrollment's time, or a token's after a start that failed (its enrollment journaled by then). A time
      // from before the round was due in it: acted on, or waiting for something else (a PIN). One that came while
      // the round ran — a round of cold tokens and servers can take longer than the polling interval — was not yet
      // due when the round looked, and is now (in CI a PIV card, reset by another program as the agent started its
      // enrollment, waited for the next scan instead of its backoff).
      for (Instant t : java.util.stream.Stream.concat(lookAgain.values().stream(), tokenBackoff.values().stream())
          .toList()) {
        if (t.isAfter(started) && t.isBefore(next)) {
          next = t.isAfter(now) ? t : now;
        }
      }
      long ms = Math.max(10, Duration.between(clock.instant(), next).toMillis());
      synchronized (this) {
        if (!stopping && !woken) {
          wait(ms);
        }
        woken = false;
      }
    }
  }

  /** Rules with an ATR apply only while such a card is in a reader; the agent looks the moment one comes or goes. */
  public void watch(CardReaders readers) {
    this.cards = readers;
  }

  /** Starts a round now (a card was inserted or removed). */
  public void wake() {
    synchronized (this) {
      woken = true;
      notifyAll();
    }
  }

  /** Ends {@link #run()} after the action in progress: every enrollment stays at a journaled step. */
  public void stop() {
    stopping = true;
    synchronized (this) {
      notifyAll();
    }
  }

  private LogLine act(AgentConfig.Rule rule, TokenInfo token, TokenPlan plan, Instant now) {
    try {
      if (plan instanceof TokenPlan.Resume r) {
        Enrollment e = journal.get(r.enrollment().id).orElse(r.enrollment());
        if (e.pinRefused) { // never the same wrong PIN twice: a person gives another source (resume --pin-source)
          failures++; // unfinished until then: an --once run from cron says so by its exit code every time
          return reported.add(e.id + "|pin") ? line(rule, token, e.id, "enrollment " + e.id + " waits for a PIN the "
              + "token accepts; 'tokenroll resume " + e.id + " --pin-source …'") : null;
        }
        if (!due(e, now)) {
          return null;
        }
        try {
          current = e.id;
          return report(rule, token, "resumed", counted(schedule(e, service.runOnce(e, true)))); // journaled
        } catch (Exception failed) {
          lookAgain.put(e.id, clock.instant().plus(poll(enrollmentPolls, e.id))); // waits, not every round
          throw failed;
        }
      }
      if (plan instanceof TokenPlan.Undated u) {
        return date(rule, token, u.current());
      }
      if (plan instanceof TokenPlan.Attention a) {
        return reported.add(a.last().id.value()) ? line(rule, token, a.last().id, "enrollment " + a.last().id
            + " ended " + a.last().state + (a.last().lastError == null ? "" : " (" + a.last().lastError + ")")
            + "; not enrolling again by itself — see 'tokenroll status " + a.last().id + "'") : null;
      }
      boolean starts = plan instanceof TokenPlan.Enroll || plan instanceof TokenPlan.Renew;
      if (!starts) {
        return null; // nothing to do: a current certificate, not yet due
      }
      if (!index.unreadable().isEmpty()) {
        return null; // a journal file that cannot be read: said once by the round
      }
      String key = rule.name() + "|" + token.label() + "|" + token.serial();
      Instant notBefore = tokenBackoff.get(key);
      if (notBefore != null && now.isBefore(notBefore)) {
        return null;
      }
      Step step;
      try {
        Enrollment e = start(rule, token, now);
        if (e == null) {
          return null; // another process started it a moment ago: the next round finds it in the journal
        }
        current = e.id;
        step = service.runOnce(e, false);
      } catch (Exception failed) {
        Instant later = clock.instant().plus(poll(startPolls, key)); // a failed start is not tried every round ...
        tokenBackoff.put(key, later);
        if (current != null) { // ... nor its journaled enrollment, which the next rounds resume
          lookAgain.put(current, later);
        }
        throw failed;
      }
      // journaled by start(): a refused PIN is on the enrollment, which later rounds find and never try again
      schedule(step.enrollment(), step);
      if (step.wake() == Step.Wake.DONE || step.wake() == Step.Wake.PARKED) {
        tokenBackoff.remove(key); // the journaled enrollment carries its own schedule from here
      } else if (step.wake() != Step.Wake.DONE) {
        tokenBackoff.put(key, clock.instant().plus(step.waiting() == Waiting.PIN_NEEDED ? config.pollCeiling()
            : poll(startPolls, key)));
      }
      return report(rule, token, plan instanceof TokenPlan.Renew ? "renewed" : "enrolled", counted(step));
    } catch (Exception e) { // one token's failure never stops the others
      failures++;
      return line(rule, token, current, e.getMessage());
    }
  }

  /**
   * A step that ended on a PIN the token refused, or one that cannot be had (a PIN file missing), counts as a
   * failure of the round: it waits for a person.
   */
  private Step counted(Step step) {
    if (step.enrollment().pinRefused || step.wake() == Step.Wake.PARKED && step.waiting() == Waiting.PIN_NEEDED) {
      failures++;
    }
    return step;
  }

  /**
   * The enrollment a rule starts on a token, decided again under the token's lock on the journal as it is now and
   * journaled before the lock is let go: another agent (or provision) on the same state directory then finds it and
   * never starts a second one (hostile probe: two agents enrolled one token twice), and a PIN the token refuses is
   * journaled with it, so that a later run — `--once` from cron — does not try it again. Null when there is nothing
   * to start any more.
   */
  private Enrollment start(AgentConfig.Rule rule, TokenInfo token, Instant now) throws Exception {
    try (TokenLock deciding = TokenLock.acquire(TokenLock.defaultDirectory(),
        TokenRef.of(Path.of(rule.module()), rule.moduleArgs(), token))) {
      TokenPlan plan = TokenPlan.of(rule.target(), token, index.enrollments(), now);
      if (!index.unreadable().isEmpty()) {
        return null; // a file that became unreadable since the round began: said by the next round
      }
      Enrollment e;
      if (plan instanceof TokenPlan.Renew rn) {
        e = Enrollment.followUp(rn.current(), Workflow.RENEW);
        e.pinSource = rule.pinSource();
      } else if (plan instanceof TokenPlan.Enroll) {
        e = RuleEnrollments.create(config, rule, token);
      } else {
        return null;
      }
      journal.store(e);
      return e;
    }
  }

  /**
   * Dates an enrollment from its certificates on the token (public objects: no login) and journals the dates; one
   * whose certificates are gone from the token is said once and left alone — renewing it is a person's decision.
   */
  private LogLine date(AgentConfig.Rule rule, TokenInfo token, Enrollment current) throws Exception {
    if (undatable.contains(current.id)) {
      return null;
    }
    Enrollment e = journal.get(current.id).orElseThrow();
    List<java.security.cert.X509Certificate> certificates = new ArrayList<>();
    try (TokenModule module = load(rule);
         TokenSession session = module.open(Pkcs11Uri.forToken(token))) {
      for (TokenObject o : session.find(ObjectQuery.all())) {
        if (o.certificate() != null) {
          certificates.add(o.certificate());
        }
      }
    }
    boolean complete = e.dateFrom(certificates, clock.instant());
    journal.store(e);
    if (!complete || e.renewAfter == null) {
      undatable.add(e.id);
      return line(rule, token, e.id, "enrollment " + e.id + " has certificates the token no longer holds; not "
          + "renewing it by itself");
    }
    return line(rule, token, e.id, "enrollment " + e.id + " dated from its certificates on the token: renewal due "
        + e.renewAfter);
  }

  private static LogLine report(AgentConfig.Rule rule, TokenInfo token, String verb, Step step) {
    Enrollment e = step.enrollment();
    return line(rule, token, e.id, verb + " → enrollment " + e.id + " " + e.state
        + (step.message() == null ? "" : " (" + step.message() + ")"));
  }

  private static LogLine line(AgentConfig.Rule rule, TokenInfo token, EnrollmentId enrollment, String message) {
    return new LogLine(rule.name(), token.label(), enrollment == null ? null : enrollment.value(), message);
  }

  /** Whether an enrollment's time has come: its journaled backoff, and the agent's own polling interval. */
  private boolean due(Enrollment e, Instant now) {
    Instant mine = lookAgain.get(e.id);
    return (e.notBefore == null || !now.isBefore(e.notBefore)) && (mine == null || !now.isBefore(mine));
  }

  /** Decides when to look at a journaled enrollment again, from how its run stopped. */
  private Step schedule(Enrollment e, Step step) {
    Instant now = clock.instant(); // intervals count from the end of the run, which may have taken a while
    switch (step.wake()) {
      case DONE -> {
        lookAgain.remove(e.id);
        enrollmentPolls.remove(e.id);
      }
      case BACKING_OFF -> lookAgain.put(e.id, step.notBefore());
      case PARKED -> lookAgain.put(e.id, step.waiting() == Waiting.PIN_NEEDED
          ? now.plus(config.pollCeiling()) : now.plus(poll(enrollmentPolls, e.id)));
      case STUCK, NOW -> lookAgain.put(e.id, now.plus(poll(enrollmentPolls, e.id)));
    }
    return step;
  }

  /** The next polling interval for {@code key}: doubling from pollInterval to pollCeiling, with ±20% jitter. */
  private <K> Duration poll(Map<K, Integer> counts, K key) {
    int n = counts.merge(key, 1, Integer::sum);
    long base = config.pollInterval().toMillis() << Math.min(n - 1, 20);
    long capped = Math.min(base, config.pollCeiling().toMillis());
    return Duration.ofMillis((long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
  }

  private static TokenModule load(AgentConfig.Rule rule) throws TokenException {
    return TokenModule.load(Path.of(rule.module()), rule.moduleArgs());
  }

  /** The initialised tokens the rule's module shows now that match its URI; none when the module fails. */
  private List<TokenInfo> present(AgentConfig.Rule rule) {
    if (rule.atr() != null && (cards == null || !cards.anyMatches(rule.atrPattern()))) {
      return List.of(); // the rule's card is not in a reader
    }
    Pkcs11Uri match = Pkcs11Uri.parse(rule.match());
    // loaded for this look only: the last close finalises the library, so the next load sees tokens made since
    try (TokenModule module = load(rule)) {
      List<TokenInfo> tokens = module.tokens().stream()
          .filter(t -> t.has(TokenInfo.Flag.TOKEN_INITIALIZED) && match.matches(t)).toList();
      if (listingFailures.remove(rule.name()) != null) {
        log.accept(new LogLine(rule.name(), null, null, "the tokens of " + rule.module() + " are listed again"));
      }
      return tokens;
    } catch (TokenException e) {
      // a module missing or broken stays so for a while: said once, and again only when the reason changes
      String why = String.valueOf(e.getMessage());
      if (!why.equals(listingFailures.put(rule.name(), why))) {
        log.accept(new LogLine(rule.name(), null, null, "cannot list the tokens of " + rule.module() + ": " + why
            + " (said again only when this changes)"));
      }
      failures++;
      return List.of();
    }
  }
}
