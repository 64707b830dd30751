package io.tokenroll.agent.cli;

import io.tokenroll.agent.daemon.Agent;
import io.tokenroll.agent.daemon.AgentConfig;
import io.tokenroll.agent.daemon.CardReaders;
import io.tokenroll.agent.daemon.SystemdNotify;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "agent", header = "Looks after the tokens its rules name: enrolls, finishes, renews.",
    description = {
        "  tokenroll agent --config /etc/tokenroll/agent.json          (runs until SIGTERM; systemd starts it)",
        "  tokenroll agent --config agent.json --once                  (every due action once, then exits)",
        "Each rule names a PKCS#11 module, a token URI and a template. A matching token without a current",
        "certificate is enrolled, one whose certificates are due is renewed, an unfinished enrollment goes on",
        "(approvals are asked about again with a doubling interval). See docs/agent-service.md."})
final class AgentCommand extends BaseCommand {
  @Mixin
  StateOptions state;

  @Option(names = "--config", required = true, paramLabel = "<file>", description = "The agent's rules (JSON).")
  Path config;

  @Option(names = "--once", description = "Run every due action once and exit (cron, tests).")
  boolean once;

  @Option(names = "--log-format", paramLabel = "<human|json>", defaultValue = "human",
      description = "Log lines for people (default), or JSON lines with time, rule, token and the enrollment id "
          + "(the correlation id the server sees too).")
  String logFormat;

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private void log(Agent.LogLine line) {
    if (!"json".equals(logFormat)) {
      note(line.text());
      return;
    }
    var node = JSON.createObjectNode();
    node.put("time", java.time.Instant.now().toString());
    node.put("rule", line.rule());
    node.put("token", line.token());
    node.put("enrollment", line.enrollment());
    node.put("message", line.message());
    try {
      var err = spec.commandLine().getErr();
      err.println(JSON.writeValueAsString(node)); // Jackson escapes every control character
      err.flush();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      note(line.text());
    }
  }

  @Override
  protected int run() throws Exception {
    AgentConfig cfg;
    try {
      cfg = AgentConfig.read(config);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--config " + config + ": " + e.getMessage());
    }
    if (!logFormat.equals("human") && !logFormat.equals("json")) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--log-format must be human or json");
    }
    Agent agent = new Agent(cfg, state.journal(), state.directory(), this::log, Clock.systemUTC());
    boolean prompts = cfg.rules().stream().anyMatch(r -> r.pinSource().equals("prompt"))
        || "prompt".equals(cfg.server().login().secretSource());
    if (prompts && System.console() == null) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--config " + config + ": a source is 'prompt', but there is "
          + "no terminal to ask on (a service has none): use file:<path> or env:<VARIABLE>");
    }
    CardReaders readers = null;
    if (cfg.rules().stream().anyMatch(r -> r.atr() != null)) { // card events only when a rule asks for a card
      readers = CardReaders.start(agent::wake, m -> log(new Agent.LogLine(null, null, null, m)));
      agent.watch(readers);
      if (once) {
        Thread.sleep(500); // the cards already in their readers, read once before the round
      }
    }
    if (once) {
      Agent.Round round = agent.runOnce();
      return round.failures() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.stop();
      SystemdNotify.send("STOPPING=1"); // SIGTERM: finish the action in progress, which leaves its enrollment at a journaled step
      try {
        finished.await(120, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tokenroll-agent-stop"));
    note("tokenroll agent: " + cfg.rules().size() + " rule(s), looking every " + cfg.scanInterval().toMillis()
        + " ms");
    // Type=notify: systemd counts the agent as started once it watches its tokens and cards
    if (SystemdNotify.wanted() && !SystemdNotify.send("READY=1\nSTATUS=" + cfg.rules().size() + " rule(s)")) {
      note("tokenroll agent: could not tell systemd it is ready ($NOTIFY_SOCKET)");
    }
    try {
      agent.run();
    } finally {
      if (readers != null) {
        readers.close();
      }
      finished.countDown();
    }
    return ExitCodes.OK;
  }
}
