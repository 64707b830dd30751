package io.tokenroll.pkcs11.testing;

import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SoftHSM2 for tests: a private config and token directory (tmpfs where available) for this JVM, and a fresh
 * token per {@link #newToken}. SoftHSM reads SOFTHSM2_CONF at C_Initialize, so the surefire configuration
 * points it at {@code target/tokens/softhsm2.conf}, which this fixture writes before loading the library.
 */
public final class SoftHsm2 {
  public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  private static SoftHsm2 instance;

  private final Path directory;
  private final Path config;
  private final TokenModule module;
  private final AtomicInteger counter = new AtomicInteger();

  private SoftHsm2(Path config) throws IOException, TokenException {
    this.config = config;
    this.directory = Backends.privateDirectory("tokenroll-softhsm-");
    Path tokens = Files.createDirectories(directory.resolve("tokens"));
    writeConfig(config, tokens);
    this.module = TokenModule.load(LIBRARY);
  }

  /** Writes a SoftHSM2 config with its token directory. */
  public static void writeConfig(Path config, Path tokenDirectory) throws IOException {
    Files.createDirectories(config.getParent());
    Files.writeString(config, "directories.tokendir = " + tokenDirectory + "\n"
        + "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
  }

  public static synchronized SoftHsm2 get() {
    Backends.requireInstalled("SoftHSM2", LIBRARY, Path.of("/usr/bin/softhsm2-util"));
    if (instance == null) {
      String conf = System.getenv("SOFTHSM2_CONF");
      if (conf == null) {
        throw new IllegalStateException("SOFTHSM2_CONF is not set; run the tests through Maven, whose surefire "
            + "configuration sets it");
      }
      try {
        instance = new SoftHsm2(Path.of(conf));
      } catch (IOException | TokenException e) {
        throw new IllegalStateException("cannot set up SoftHSM2: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  public TokenModule module() {
    return module;
  }

  public Path config() {
    return config;
  }

  /** A new, empty token with random user and SO PINs. */
  public TestToken newToken(String prefix) {
    return newToken(prefix, true);
  }

  /**
   * A new, empty token with a random SO PIN, and a user PIN only when {@code withUserPin}: without, it is as a card
   * from the factory (its user PIN file holds a PIN the token does not have yet).
   */
  public TestToken newToken(String prefix, boolean withUserPin) {
    return newLabelledToken(prefix + "-" + counter.incrementAndGet(), withUserPin);
  }

  /** A new token with exactly this label (a test that must name it before it exists). */
  public TestToken newLabelledToken(String label, boolean withUserPin) {
    Path pins = directory.resolve("pins-" + label);
    try {
      Files.createDirectories(pins);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return initialise(label, Backends.pinFile(pins, "user.pin", 6), Backends.pinFile(pins, "so.pin", 8), withUserPin);
  }

  /** A new token with this label whose user PIN is the one in {@code userPin} (a file the test made first). */
  public TestToken newLabelledToken(String label, Path userPin) {
    Path pins = directory.resolve("pins-" + label);
    try {
      Files.createDirectories(pins);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return initialise(label, userPin, Backends.pinFile(pins, "so.pin", 8), true);
  }

  private TestToken initialise(String label, Path user, Path so, boolean withUserPin) {
    try {
      TestToken scratch = new TestToken("softhsm2", module, null, LIBRARY, null, user, so, Map.of());
      TokenInfo info = module.initializeToken(label, scratch.soPins(), withUserPin ? scratch.userPins() : null);
      return new TestToken("softhsm2", module, info, LIBRARY, null, user, so, Map.of("SOFTHSM2_CONF", config.toString()));
    } catch (TokenException e) {
      throw new IllegalStateException("cannot create SoftHSM2 token " + label + ": " + e.getMessage(), e);
    }
  }
}
