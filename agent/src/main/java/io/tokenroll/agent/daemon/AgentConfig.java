package io.tokenroll.agent.daemon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.encoding.BoundedJson;
import io.tokenroll.agent.http.ServerAddress;
import io.tokenroll.agent.login.ServerLogin;
import io.tokenroll.pkcs11.Pkcs11Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code tokenroll agent} watches and does, from a JSON file (docs/agent-service.md): the CM server and how to
 * log in to it, and rules — a token matching a PKCS#11 URI gets a template's certificates, renewed when due. Every
 * field is checked when the file is read: a mistake stops the agent at start, never at 3 a.m.
 *
 * @param scanInterval how often the modules are asked which tokens are present
 * @param pollInterval the first wait before asking the server again about a pending request; it doubles, with
 *                     jitter, up to {@code pollCeiling}
 */
public record AgentConfig(Server server, List<Rule> rules, Duration scanInterval, Duration pollInterval,
                          Duration pollCeiling, Integer retries) {
  static final int MAX_BYTES = 1 << 20;

  /** The CM server: its URL, how to log in (as {@code tokenroll enroll} takes it), whom to trust. */
  public record Server(String url, ServerLogin login, String trust, boolean insecure) {
  }

  /**
   * A token the agent looks after.
   *
   * @param match       a PKCS#11 URI (RFC 7512) a token must match: {@code pkcs11:token=alice}, {@code model=…}
   * @param module      the PKCS#11 library that shows it
   * @param renewBefore renew this long before the certificates expire; null: when the journal says renewal is due
   * @param atr         a regular expression over the upper-case hex ATR of a card in a PC/SC reader: the rule applies
   *                    only while such a card is present (and runs the moment one is inserted); null: always
   */
  public record Rule(String name, String module, String moduleArgs, String match, String template,
                     String pinSource, Duration renewBefore, String atr) {
    /** The ATR pattern, or null. */
    public java.util.regex.Pattern atrPattern() {
      return atr == null ? null : java.util.regex.Pattern.compile(atr, java.util.regex.Pattern.CASE_INSENSITIVE);
    }

    /** The template on the module's tokens, as the journal is asked about it. */
    public io.tokenroll.agent.enroll.TokenPlan.Target target() {
      return new io.tokenroll.agent.enroll.TokenPlan.Target(java.nio.file.Path.of(module), template, renewBefore);
    }
  }

  public AgentConfig {
    if (server == null || server.url() == null) {
      throw new IllegalArgumentException("the configuration names no server (\"server\": {\"url\": …})");
    }
    ServerAddress.parse(server.url()); // one host, no credentials in it
    server = new Server(server.url(), server.login() == null ? ServerLogin.NONE : server.login(), server.trust(),
        server.insecure());
    if (rules == null || rules.isEmpty()) {
      throw new IllegalArgumentException("the configuration has no rules: nothing to look after");
    }
    ServerLogin login = server.login();
    if ((login.method() == ServerLogin.Method.BASIC || login.method() == ServerLogin.Method.BEARER)
        && login.secretSource() == null) {
      throw new IllegalArgumentException("server.login: " + login.method() + " needs secretSource (file:<path> or "
          + "env:<VARIABLE>)");
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Rule r : rules) {
      if (r == null) {
        throw new IllegalArgumentException("rules: an empty rule");
      }
      if (r.name() != null && !names.add(r.name())) {
        throw new IllegalArgumentException("rules: two rules are named " + r.name());
      }
      if (r.name() == null || r.module() == null || r.match() == null || r.template() == null
          || r.pinSource() == null) {
        throw new IllegalArgumentException("rule " + r.name() + " needs name, module, match, template and "
            + "pinSource");
      }
      Pkcs11Uri.parse(r.match());
      if (r.atr() != null) {
        try {
          r.atrPattern();
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new IllegalArgumentException("rule " + r.name() + ": atr is not a regular expression: "
              + e.getDescription());
        }
      }
      io.tokenroll.pkcs11.pin.PinSource.parse(r.pinSource());
      if (r.renewBefore() != null && (r.renewBefore().isNegative() || r.renewBefore().isZero())) {
        throw new IllegalArgumentException("rule " + r.name() + ": renewBefore must be positive");
      }
    }
    rules = List.copyOf(rules);
    scanInterval = scanInterval == null ? Duration.ofSeconds(5) : scanInterval;
    pollInterval = pollInterval == null ? Duration.ofSeconds(30) : pollInterval;
    pollCeiling = pollCeiling == null ? Duration.ofHours(1) : pollCeiling;
    retries = retries == null ? 3 : retries;
    if (scanInterval.toMillis() < 50 || pollInterval.toMillis() < 50 || pollCeiling.compareTo(pollInterval) < 0
        || retries < 1) {
      throw new IllegalArgumentException("scanInterval and pollInterval must be at least 50 ms, pollCeiling no "
          + "less than pollInterval, retries at least 1");
    }
  }

  /** Reads and checks a configuration file (at most 1 MiB; ISO-8601 durations such as "PT30S", "P30D"). */
  public static AgentConfig read(Path file) throws IOException {
    byte[] bytes;
    try (var in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new IOException(file + " is larger than " + MAX_BYTES + " bytes");
    }
    var durations = new com.fasterxml.jackson.databind.module.SimpleModule();
    durations.addDeserializer(Duration.class, new com.fasterxml.jackson.databind.JsonDeserializer<>() {
      @Override
      public Duration deserialize(com.fasterxml.jackson.core.JsonParser p,
          com.fasterxml.jackson.databind.DeserializationContext c) throws IOException {
        try {
          return Duration.parse(p.getValueAsString());
        } catch (java.time.format.DateTimeParseException | NullPointerException e) {
          throw new IllegalArgumentException("not an ISO-8601 duration (PT30S, P30D): " + p.getValueAsString());
        }
      }
    });
    ObjectMapper json = BoundedJson.builder().addModule(durations)
        .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    try {
      return json.readValue(bytes, AgentConfig.class);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      String where = e.getPath().isEmpty() ? "" : e.getPathReference().replaceAll(".*AgentConfig", "") + ": ";
      throw new IOException(file + ": " + where + (cause == e ? e.getOriginalMessage() : cause.getMessage()));
    }
  }
}
