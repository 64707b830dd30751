package io.tokenroll.agent.enroll;

import io.tokenroll.pkcs11.TokenInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the journal says is next for a template on a token that is present: go on with its unfinished enrollment,
 * enroll it (no current certificate for the template), renew it (its certificates are due), or nothing. Decided
 * from the journal alone, so a restarted agent decides the same; the agent's rules and helpdesk provisioning ask
 * it alike.
 */
public sealed interface TokenPlan {
  /**
   * The template on a module's tokens, and when its certificates are renewed: {@code renewBefore} their expiry,
   * or (null) at the time journaled when they were installed.
   */
  record Target(Path module, String template, java.time.Duration renewBefore) {
  }

  record Resume(Enrollment enrollment) implements TokenPlan {
  }

  record Enroll() implements TokenPlan {
  }

  record Renew(Enrollment current) implements TokenPlan {
  }

  record Nothing(Enrollment current, Instant renewalDue) implements TokenPlan {
  }

  /**
   * A current enrollment journaled before certificate dates were kept (no renewal time, no validity): the agent
   * reads its certificates from the token to date it, as the journal cannot say when it is due.
   */
  record Undated(Enrollment current) implements TokenPlan {
  }

  /**
   * The token's last enrollment for the template ended without a certificate (denied, canceled, abandoned), or
   * retired the card: a person must look, so the agent does not ask again by itself — it would be denied again,
   * fail the same way, or undo the retirement.
   */
  record Attention(Enrollment last) implements TokenPlan {
  }

  static TokenPlan of(Target rule, TokenInfo token, List<Enrollment> journal, Instant now) {
    List<Enrollment> mine = journal.stream().filter(e -> isFor(rule, token, e)).toList();
    Optional<Enrollment> unfinished = mine.stream().filter(e -> !e.state.isFinal())
        .min(Comparator.comparing(e -> e.created));
    if (unfinished.isPresent()) {
      return new Resume(unfinished.get());
    }
    Optional<Enrollment> current = mine.stream()
        .filter(e -> e.state == EnrollmentState.COMPLETED && e.supersededBy == null && e.workflow != Workflow.RETIRE)
        .max(Comparator.comparing(e -> e.created));
    Optional<Enrollment> last = mine.stream().max(Comparator.comparing(e -> e.created));
    if (last.isPresent() && (last.get().state != EnrollmentState.COMPLETED || last.get().workflow == Workflow.RETIRE)) {
      return new Attention(last.get()); // its last word was no certificate, or a retired card: not without a person
    }
    if (current.isEmpty()) {
      return new Enroll();
    }
    Instant due = renewalDue(rule, current.get());
    if (due == null && current.get().outcomes.stream().anyMatch(o -> "INSTALLED".equals(o.result)
        && o.certificateSerial != null && o.notAfter == null)) {
      return new Undated(current.get());
    }
    return due != null && !now.isBefore(due) ? new Renew(current.get()) : new Nothing(current.get(), due);
  }

  /**
   * When the rule's renewal window opens for this enrollment: {@code renewBefore} the first expiry of its own
   * certificates, but never in the first half of their lifetime — a window longer than that would renew a fresh
   * certificate again at once, round after round; without a window, the journaled default.
   */
  static Instant renewalDue(Target rule, Enrollment e) {
    if (rule.renewBefore() == null) {
      return e.renewAfter;
    }
    return e.outcomes.stream().filter(o -> "INSTALLED".equals(o.result) && o.keyIndex != null && o.notAfter != null
            && o.notBefore != null)
        .map(o -> {
          Instant window = o.notAfter.minus(rule.renewBefore());
          Instant half = o.notBefore.plus(java.time.Duration.between(o.notBefore, o.notAfter).dividedBy(2));
          return window.isAfter(half) ? window : half;
        })
        .min(Instant::compareTo).orElse(e.renewAfter);
  }

  /** Whether an enrollment is this rule's, on this token; the cheap comparisons first, paths last. */
  private static boolean isFor(Target rule, TokenInfo token, Enrollment e) {
    boolean sameToken = e.token != null && Objects.equals(e.token.label(), token.label())
        && (e.token.serial() == null || Objects.equals(e.token.serial(), token.serial()));
    boolean sameTemplate = sameToken && (rule.template().equalsIgnoreCase(e.template)
        || e.templateUuid != null && rule.template().equalsIgnoreCase(e.templateUuid.toString()));
    return sameTemplate
        && io.tokenroll.pkcs11.TokenRef.normalised(e.token.module()).normalize()
            .equals(io.tokenroll.pkcs11.TokenRef.normalised(rule.module()).normalize());
  }
}
