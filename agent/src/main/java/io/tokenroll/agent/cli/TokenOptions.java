package io.tokenroll.agent.cli;

import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.pin.PinSource;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which library and token to use, and where the PIN comes from. Each can be given as an option, inside the
 * PKCS#11 URI ({@code module-path=}, {@code pin-source=}) or in the environment (TOKENROLL_MODULE,
 * TOKENROLL_MODULE_ARGS, TOKENROLL_TOKEN, TOKENROLL_PIN_SOURCE); options win. There is no PIN option.
 */
public final class TokenOptions {
  @Mixin
  ModuleOptions module;

  @Option(names = {"-t", "--token"}, paramLabel = "<uri>",
      description = "The token: a PKCS#11 URI (pkcs11:token=<label>;serial=<serial>) or just its label. "
          + "May be omitted when exactly one token is present.")
  String token;

  @Option(names = "--pin-source", paramLabel = "<source>",
      description = "Where the user PIN comes from: file:<path>, env:<VARIABLE>, prompt or pinpad. "
          + "Never the PIN itself.")
  String pinSource;

  public Pkcs11Uri uri() {
    String t = token != null ? token : System.getenv("TOKENROLL_TOKEN");
    if (t == null || t.isBlank()) {
      return Pkcs11Uri.parse("pkcs11:");
    }
    return t.regionMatches(true, 0, "pkcs11:", 0, 7) ? Pkcs11Uri.parse(t)
        : Pkcs11Uri.parse("pkcs11:").withPathAttribute("token", t);
  }

  public Path library() {
    return module.library(uri().modulePath());
  }

  public String moduleArgs() {
    return module.moduleArgs();
  }

  /** The PIN source spec (never the PIN): option, URI, environment, else a prompt when there is a terminal. */
  public String pinSourceSpec() {
    String spec = pinSource != null ? pinSource : uri().pinSource();
    if (spec == null) {
      spec = System.getenv("TOKENROLL_PIN_SOURCE");
    }
    if (spec == null) {
      if (System.console() == null) {
        throw new CliException(ExitCodes.INVALID_INPUT,
            "no PIN source: give --pin-source file:<path>, env:<VARIABLE> or pinpad (no terminal to prompt on)");
      }
      spec = "prompt";
    }
    PinSource.parse(spec); // validates
    return spec;
  }

  /** The PIN source, or a no-echo prompt when none is configured and a terminal is there. */
  public PinSource pins() {
    return PinSource.parse(pinSourceSpec());
  }

  public boolean hasPinSource() {
    return pinSource != null || uri().pinSource() != null || System.getenv("TOKENROLL_PIN_SOURCE") != null;
  }

  /** The token's cross-process write lock (the one enrollments take), held while a command writes to it. */
  public io.tokenroll.agent.journal.TokenLock lock(TokenSession session) throws java.io.IOException {
    return io.tokenroll.agent.journal.TokenLock.acquire(io.tokenroll.agent.journal.TokenLock.defaultDirectory(),
        io.tokenroll.pkcs11.TokenRef.of(library(), moduleArgs(), session.info()));
  }

  public TokenModule loadModule() throws TokenException {
    return TokenModule.load(library(), moduleArgs());
  }

  /** Opens the selected token and logs in once. */
  public TokenSession openLoggedIn(TokenModule module) throws TokenException {
    return module.open(uri(), pins());
  }

  /**
   * Records on an enrollment the token these options select — library, module arguments, label, serial, PIN
   * source and card id — after checking it is there: a missing token fails before the server hears of us.
   */
  void recordOn(io.tokenroll.agent.enroll.Enrollment e) throws TokenException {
    try (TokenModule module = loadModule()) {
      e.recordToken(library(), moduleArgs(), module.select(uri()), pinSourceSpec());
    }
  }
}
