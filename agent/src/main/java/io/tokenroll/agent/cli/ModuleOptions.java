package io.tokenroll.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which PKCS#11 library, and its initialisation string: an option, else the environment (TOKENROLL_MODULE,
 * TOKENROLL_MODULE_ARGS), else SoftHSM2. Shared by the commands that name one token and by provision, which takes
 * many.
 */
public final class ModuleOptions {
  public static final Path DEFAULT_MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  @Option(names = {"-m", "--module"}, paramLabel = "<library>",
      description = "PKCS#11 library, or piv for the PIV cards in the PC/SC readers (default: $TOKENROLL_MODULE, "
          + "else SoftHSM2's, /usr/lib/softhsm/libsofthsm2.so).")
  Path module;

  @Option(names = "--module-args", paramLabel = "<string>",
      description = "Initialisation string for libraries that need one (NSS softoken: configdir='sql:/path' …).")
  String moduleArgs;

  /** The library: the option, else {@code fromUri} (a token URI's module-path), else the environment or default. */
  Path library(String fromUri) {
    if (module != null) {
      return module;
    }
    if (fromUri != null) {
      return Path.of(fromUri);
    }
    String env = System.getenv("TOKENROLL_MODULE");
    return env != null && !env.isBlank() ? Path.of(env) : DEFAULT_MODULE;
  }

  /** The initialisation string, or null; a blank one is none. */
  String moduleArgs() {
    String args = moduleArgs != null ? moduleArgs : System.getenv("TOKENROLL_MODULE_ARGS");
    return args == null || args.isBlank() ? null : args;
  }
}
