package io.tokenroll.agent.daemon;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.agent.http.ServerAddress;
import io.tokenroll.pkcs11.TokenInfo;
import java.nio.file.Path;

/** A new enrollment as a rule asks it for a token: what {@code tokenroll enroll} records from its options. */
final class RuleEnrollments {
  private RuleEnrollments() {
  }

  static Enrollment create(AgentConfig config, AgentConfig.Rule rule, TokenInfo token) {
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    e.server = ServerAddress.parse(config.server().url()).toString();
    e.login = config.server().login();
    e.trustFile = config.server().trust() == null ? null : Path.of(config.server().trust()).toAbsolutePath().toString();
    e.insecure = config.server().insecure();
    e.template = rule.template();
    e.comment = "tokenroll agent, rule " + rule.name();
    e.recordToken(Path.of(rule.module()), rule.moduleArgs(), token, rule.pinSource());
    return e;
  }
}
