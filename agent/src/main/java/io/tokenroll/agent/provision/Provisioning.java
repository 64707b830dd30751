package io.tokenroll.agent.provision;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentId;
import io.tokenroll.agent.enroll.EnrollmentService;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.enroll.Step;
import io.tokenroll.agent.enroll.TokenPlan;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.agent.journal.JournalIndex;
import io.tokenroll.agent.journal.TokenLock;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenRef;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.pin.PinSource;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Helpdesk provisioning: every matching token of a module enrolled for one template, by a bounded pool of workers
 * in one process. Each card runs the same journaled enrollment as {@code tokenroll enroll} — a killed run leaves
 * every card at a journaled step for {@code tokenroll resume} — and what the journal says of a card decides first:
 * an unfinished enrollment goes on, a current certificate is left alone unless forced. One card's failure, a
 * wrong PIN included, is that card's result and never stops the others. The workers share the process's HTTPS
 * connections and TLS sessions to the server (HttpTransport keeps them per server).
 */
public final class Provisioning {
  /** At most this many workers, whatever is asked: a PKCS#11 module and a server take only so many at once. */
  public static final int MAX_PARALLEL = 32;

  /**
   * What to provision.
   *
   * @param pinSource the PIN source of every card; {@code {label}} and {@code {serial}} in it stand for each
   *                  card's own (file:/secure/pins/{serial}.pin)
   * @param serverPin where a PIN the server chooses goes, a file of each card's own (file:/secure/new/{serial}.pin);
   *                  null: nowhere (then only a template whose server keeps the PIN can run)
   * @param parallel  workers; 0 chooses from the cores and the token's own parallelism
   * @param force     enroll cards that hold a current certificate of the template too (a renewal where the
   *                  current enrollment allows one)
   * @param enrollment a new enrollment with the server, template and request options filled in
   */
  public record Request(TokenPlan.Target target, String moduleArgs, TokenSelector tokens, String pinSource,
                        int parallel, boolean force, Supplier<Enrollment> enrollment, Init init, String serverPin) {
  }

  /**
   * Blank tokens initialised before the run ({@code --init}): their label from {@code labelPattern} ({@code {n}}: a
   * number no present token's label has), the security officer's PIN from {@code soPinSource}, the user PIN from
   * the run's PIN source. Tokens initialised so are provisioned whatever {@code tokens} selects.
   */
  public record Init(String labelPattern, String soPinSource) {
    public Init {
      if (labelPattern == null || labelPattern.isBlank()) {
        throw new IllegalArgumentException("--init needs a label pattern, e.g. desk-{n}");
      }
      PinSource.parse(soPinSource == null ? "" : soPinSource);
    }
  }

  private final FileJournal journal;
  private final Clock clock;
  private final ProvisionListener listener;
  private final Map<EnrollmentId, Card> byEnrollment = new ConcurrentHashMap<>();
  private final EnrollmentService service;

  /** One card while a worker has it: its step timings, filled by the worker's thread only. */
  private record Card(TokenInfo token, Map<String, Long> steps) {
  }

  public Provisioning(FileJournal journal, java.nio.file.Path stateDirectory, EnrollmentService.Settings settings,
                      ProvisionListener listener, Clock clock) {
    this.journal = journal;
    this.clock = clock;
    this.listener = listener;
    this.service = new EnrollmentService(journal, stateDirectory, settings, m -> { },
        EnrollmentService.Waiter.sleeping(clock), (e, from, nanos) -> {
          Card card = byEnrollment.get(e.id);
          if (card != null) {
            card.steps().merge(from.name(), nanos / 1_000_000, Long::sum);
            listener.step(card.token(), e.state.name());
          }
        });
  }

  /** The matching cards, each provisioned; results in the order the module lists the tokens. */
  public List<CardResult> run(Request request) throws TokenException, IOException, InterruptedException,
      io.tokenroll.agent.enroll.EnrollmentException, io.tokenroll.agent.http.ServerException,
      java.security.GeneralSecurityException {
    // the module stays loaded for the whole run: the enrollments' own loads and closes then never finalise it
    try (TokenModule module = TokenModule.load(request.target().module(), request.moduleArgs())) {
      List<TokenInfo> present = module.tokens();
      List<TokenInfo> cards = new ArrayList<>(present.stream()
          .filter(t -> t.has(TokenInfo.Flag.TOKEN_INITIALIZED) && request.tokens().matches(t)).toList());
      // a journal file that cannot be read may be the enrollment of one of these cards: enrolling it again would
      // give the card a second key and certificate (hostile probe: a renamed entry), so a person looks first
      JournalIndex journaled = new JournalIndex(journal); // read once here, and again only where files changed
      journaled.enrollments();
      List<String> unreadable = journaled.unreadable();
      if (!unreadable.isEmpty()) {
        throw new io.tokenroll.agent.enroll.EnrollmentException("the journal has " + unreadable.size() + " file(s) "
            + "it cannot read, which may be enrollments of these cards — fix or remove them first: "
            + String.join("; ", unreadable));
      }
      List<CardResult> notStarted = new ArrayList<>();
      if (request.init() != null) {
        BlankTokens.Result blanks = BlankTokens.initialise(module, present, request.init(), request.pinSource());
        cards.addAll(blanks.initialised());
        notStarted.addAll(blanks.failures());
      }
      if (cards.isEmpty() && notStarted.isEmpty()) {
        throw new IllegalArgumentException("no initialised token of " + request.target().module() + " matches "
            + "--tokens" + (request.init() == null ? "" : ", and none is blank") + "; 'tokenroll tokens' lists them");
      }
      // a listed card that is not there is said in the report, not dropped without a word
      for (String missing : request.tokens().unmatched(present)) {
        notStarted.add(new CardResult(missing, null, CardResult.Outcome.FAILED, "no token present is '" + missing
            + "' (--tokens); 'tokenroll tokens' lists them", null, List.of(), 0, Map.of()));
      }
      int parallel = cards.isEmpty() ? 0 : Math.min(cards.size(), request.parallel() > 0
          ? Math.min(request.parallel(), MAX_PARALLEL) : defaultParallel(module, cards.get(0)));
      // the template asked about once for the run, not once a card (its name, policy and card configuration)
      Enrollment template = request.enrollment().get();
      template.serverPinOutput = request.serverPin(); // a template whose server keeps no PIN needs it said where
      if (!cards.isEmpty()) {
        service.resolveTemplate(template);
      }
      listener.planned(cards.size() + notStarted.size(), parallel);
      notStarted.forEach(listener::finished);
      if (cards.isEmpty()) {
        return notStarted;
      }
      AtomicInteger worker = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
        Thread t = new Thread(r, "provision-" + worker.incrementAndGet());
        t.setDaemon(true); // a run that ends by an error never hangs the JVM on its idle workers
        return t;
      });
      try {
        List<Future<CardResult>> running = new ArrayList<>();
        for (TokenInfo card : cards) {
          running.add(pool.submit(() -> provision(request, template, card, journaled)));
        }
        List<CardResult> results = new ArrayList<>(notStarted);
        for (Future<CardResult> f : running) {
          try {
            results.add(f.get());
          } catch (ExecutionException e) { // provision() returns its failures; this is a bug, said as one
            throw new IllegalStateException("a provisioning worker failed: " + e.getCause(), e.getCause());
          }
        }
        return results;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Two workers a core — a card's time is mostly the server's answer and the token's key generation, which
   * overlap — but one for modules that write token objects one at a time (NSS, tpm2-pkcs11 behind abrmd).
   */
  private static int defaultParallel(TokenModule module, TokenInfo first) {
    try (TokenSession s = module.open(Pkcs11Uri.forToken(first))) {
      if (!s.capabilities().parallelObjectWrites()) {
        return 1;
      }
    } catch (TokenException e) {
      return 1; // the card's own worker will say what is wrong with it
    }
    return Math.min(MAX_PARALLEL, 2 * Runtime.getRuntime().availableProcessors());
  }

  private CardResult provision(Request request, Enrollment template, TokenInfo token, JournalIndex journaled) {
    long started = System.nanoTime();
    listener.started(token);
    Map<String, Long> steps = new LinkedHashMap<>();
    Enrollment e = null;
    CardResult result;
    boolean resume = false;
    // What the card gets is decided, and a new enrollment journaled, under the card's lock on a fresh look at the
    // journal: another provision (or agent) deciding the same card then sees this one's enrollment, never enrolls
    // the card a second time (found by a hostile probe: two runs on one stack enrolled most cards twice).
    try (TokenLock deciding = TokenLock.acquire(TokenLock.defaultDirectory(),
        TokenRef.of(request.target().module(), request.moduleArgs(), token))) {
      TokenPlan next = TokenPlan.of(request.target(), token, journaled.enrollments(), clock.instant());
      if (!journaled.unreadable().isEmpty()) { // one that became unreadable since the run began (review)
        return done(new CardResult(token.label(), token.serial(), CardResult.Outcome.FAILED, "not started: the "
            + "journal has a file it cannot read, which may be this card's enrollment — "
            + journaled.unreadable().get(0), null, List.of(), millis(started), steps));
      }
      String pins = pinSource(request.pinSource(), token);
      if (next instanceof TokenPlan.Resume r) {
        e = journal.get(r.enrollment().id).orElse(r.enrollment());
        if (e.pinRefused) { // cards lock: the PIN the card refused is never tried again, only another source
          if (pins.equals(e.pinSource)) {
            return done(new CardResult(token.label(), token.serial(), CardResult.Outcome.FAILED, "the card refused "
                + "the PIN from " + pins + " before; give a source with the right PIN", e.id, List.of(),
                millis(started), steps));
          }
          e.pinSource = pins;
          e.pinRefused = false;
        }
        resume = true;
      } else if (next instanceof TokenPlan.Attention a && !request.force()) {
        return done(new CardResult(token.label(), token.serial(), CardResult.Outcome.FAILED, "its last enrollment "
            + a.last().id + " ended " + a.last().state + " (" + a.last().workflow + "): a person decides; --force "
            + "enrolls it again", a.last().id, List.of(), millis(started), steps));
      } else if (current(next) != null && !request.force()) {
        Enrollment current = current(next);
        return done(new CardResult(token.label(), token.serial(), CardResult.Outcome.SKIPPED, "holds a current "
            + "certificate of the template (enrollment " + current.id + (current.renewAfter == null ? ""
            : ", renewal due " + current.renewAfter) + "); --force enrolls it again", current.id,
            certificates(current), millis(started), steps));
      } else if (current(next) != null && current(next).smartcardUuid != null) {
        e = Enrollment.followUp(current(next), Workflow.RENEW); // forced: new keys, the old ones go after success
        e.pinSource = pins;
        e.serverPinOutput = serverPin(request, token);
      } else {
        e = request.enrollment().get();
        e.takeTemplateOf(template);
        e.recordToken(request.target().module(), request.moduleArgs(), token, pins);
        e.serverPinOutput = serverPin(request, token);
      }
      if (!resume) {
        journal.store(e);
      }
    } catch (Exception ex) {
      return done(failed(token, e, ex, started, steps));
    }
    try {
      byEnrollment.put(e.id, new Card(token, steps));
      Step step = service.run(e, resume);
      result = result(token, e, step, started, steps);
    } catch (Exception ex) { // one card's failure is its result; the others go on
      result = failed(token, e, ex, started, steps);
    } finally {
      byEnrollment.remove(e.id);
    }
    return done(result);
  }

  private CardResult failed(TokenInfo token, Enrollment e, Exception ex, long started, Map<String, Long> steps) {
    String kept = e != null && journaled(e) ? " (enrollment " + e.id + " is kept: 'tokenroll resume " + e.id
        + "')" : "";
    return new CardResult(token.label(), token.serial(), CardResult.Outcome.FAILED, ex.getMessage() + kept,
        e == null || kept.isEmpty() ? null : e.id, List.of(), millis(started), steps);
  }

  private CardResult done(CardResult result) {
    listener.finished(result);
    return result;
  }

  /** The card's current enrollment for the template, when the journal has one. */
  private static Enrollment current(TokenPlan plan) {
    if (plan instanceof TokenPlan.Renew r) {
      return r.current();
    }
    if (plan instanceof TokenPlan.Undated u) {
      return u.current();
    }
    return plan instanceof TokenPlan.Nothing n ? n.current() : null;
  }

  /** The card's result once its enrollment ran; the enrollment is journaled (resumed from it, or stored first). */
  private CardResult result(TokenInfo token, Enrollment e, Step step, long started, Map<String, Long> steps) {
    CardResult.Outcome outcome;
    String reason = step.message();
    if (step.wake() == Step.Wake.DONE && e.state == EnrollmentState.COMPLETED) {
      outcome = CardResult.Outcome.ENROLLED;
      reason = null;
    } else if (step.wake() == Step.Wake.PARKED && !e.pinRefused) {
      outcome = CardResult.Outcome.WAITING; // a refused PIN is a failure: a person must give the right one
    } else {
      outcome = CardResult.Outcome.FAILED;
      reason = (reason == null ? "ended " + e.state : reason) + (e.lastError == null || reason != null
          && reason.contains(e.lastError) ? "" : ": " + e.lastError);
    }
    return new CardResult(token.label(), token.serial(), outcome, reason, e.id, certificates(e), millis(started),
        steps);
  }

  private boolean journaled(Enrollment e) {
    try {
      return journal.get(e.id).isPresent();
    } catch (IOException unreadable) {
      return true; // a file is there; better to point at it than to say nothing was kept
    }
  }

  private static List<CardResult.Certificate> certificates(Enrollment e) {
    return e.outcomes.stream().filter(o -> "INSTALLED".equals(o.result) && o.certificateSerial != null)
        .map(o -> new CardResult.Certificate(o.certificateSerial, o.notAfter)).toList();
  }

  private static long millis(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** Where the server's PIN for this card goes ({@code --server-pin}, its own file), or null. */
  private static String serverPin(Request request, TokenInfo token) {
    return request.serverPin() == null ? null : pinSource(request.serverPin(), token);
  }

  /**
   * The card's PIN source: {@code {label}} and {@code {serial}} replaced by its own. A label that could step out
   * of a directory ('/', '..') is refused rather than used in a path.
   */
  static String pinSource(String pattern, TokenInfo token) {
    return pinSource(pattern, token.label(), token.serial());
  }

  static String pinSource(String pattern, String label, String serial) {
    if (!pattern.contains("{label}") && !pattern.contains("{serial}")) {
      return pattern;
    }
    for (String value : List.of(label, serial)) {
      if (value.contains("/") || value.equals("..") || value.equals(".") || value.chars().anyMatch(c -> c < 0x20)) {
        throw new IllegalArgumentException("the token '" + label + "' cannot name its PIN file: its label or "
            + "serial is not a plain file name");
      }
    }
    return pattern.replace("{label}", label).replace("{serial}", serial);
  }
}
