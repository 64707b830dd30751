package io.tokenroll.pkcs11.testing;

import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TPM-backed token: swtpm (a software TPM 2.0) on loopback, tpm2-abrmd as resource manager on a private
 * D-Bus, and tpm2-pkcs11 with its store in this JVM's target directory. Everything is started by the tests and
 * stops with the JVM. The TPM's dictionary-attack limits are raised so a wrong-PIN test cannot lock the TPM.
 * Environment (set by surefire): DBUS_SESSION_BUS_ADDRESS, TPM2_PKCS11_TCTI, TPM2_PKCS11_STORE.
 */
public final class Tpm2Pkcs11 {
  public static final Path LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so");
  private static Tpm2Pkcs11 instance;

  private final Path directory;
  private final Path store;
  private final Map<String, String> env = new HashMap<>();
  private final AtomicInteger counter = new AtomicInteger();
  private TokenModule module;

  private Tpm2Pkcs11() throws Exception {
    directory = Backends.privateDirectory("tokenroll-tpm-");
    store = Path.of(requireEnv("TPM2_PKCS11_STORE"));
    Backends.deleteRecursively(store);
    Files.createDirectories(store);
    String bus = requireEnv("DBUS_SESSION_BUS_ADDRESS");
    Path busPath = Path.of(bus.substring(bus.indexOf("path=") + 5));
    Files.createDirectories(busPath.getParent());
    Files.deleteIfExists(busPath);
    env.put("DBUS_SESSION_BUS_ADDRESS", bus);
    env.put("TPM2TOOLS_TCTI", "tabrmd:bus_type=session");
    env.put("TPM2_PKCS11_TCTI", requireEnv("TPM2_PKCS11_TCTI"));
    env.put("TPM2_PKCS11_STORE", store.toString());

    int port = Backends.freePortPair(); // the swtpm TCTI expects the control port at port + 1
    int ctrl = port + 1;
    Files.createDirectories(directory.resolve("state"));
    Backends.daemon(List.of("swtpm", "socket", "--tpm2",
        "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
        "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
        "--tpmstate", "dir=" + directory.resolve("state"), "--flags", "not-need-init,startup-clear"),
        Map.of(), directory.resolve("swtpm.log"));
    waitFor(() -> Backends.isListening(port) && Backends.isListening(ctrl), "swtpm");
    Backends.daemon(List.of("dbus-daemon", "--session", "--nofork", "--address=" + bus), Map.of(),
        directory.resolve("dbus.log"));
    waitFor(() -> Files.exists(busPath), "dbus-daemon");
    List<String> abrmd = new ArrayList<>(List.of("tpm2-abrmd", "--session", "--tcti=swtpm:host=127.0.0.1,port=" + port,
        "--flush-all", "--max-transients=100"));
    if ("root".equals(System.getProperty("user.name"))) {
      abrmd.add("--allow-root");
    }
    Backends.daemon(abrmd, env, directory.resolve("abrmd.log"));
    waitFor(() -> {
      try {
        Backends.run(List.of("tpm2_getrandom", "4", "--hex"), env, 10);
        return true;
      } catch (IllegalStateException e) {
        return false;
      }
    }, "tpm2-abrmd (log: " + directory.resolve("abrmd.log") + ")");
    // swtpm locks every TPM key after 3 wrong authorisations for 1000 s; a test suite must not do that.
    Backends.run(List.of("tpm2_dictionarylockout", "--setup-parameters", "--max-tries=1000", "--recovery-time=1",
        "--lockout-recovery-time=1"), env, 30);
    Backends.run(List.of("tpm2_ptool", "init", "--path=" + store), env, 60);
  }

  private static String requireEnv(String name) {
    String v = System.getenv(name);
    if (v == null) {
      throw new IllegalStateException(name + " is not set; run the tests through Maven, whose surefire "
          + "configuration sets it");
    }
    return v;
  }

  private static void waitFor(java.util.function.BooleanSupplier ready, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!ready.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not come up within 15 s");
      }
      Thread.sleep(50);
    }
  }

  public static synchronized Tpm2Pkcs11 get() {
    Backends.requireInstalled("tpm2-pkcs11 with swtpm", LIBRARY, Path.of("/usr/bin/swtpm"),
        Path.of("/usr/sbin/tpm2-abrmd"), Path.of("/usr/bin/tpm2_ptool"),
        Path.of("/usr/lib/x86_64-linux-gnu/libtss2-tcti-tabrmd.so.0"));
    if (instance == null) {
      try {
        instance = new Tpm2Pkcs11();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the TPM simulator stack: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  public Map<String, String> environment() {
    return Map.copyOf(env);
  }

  /** A new token, made with C_InitToken on the empty slot tpm2-pkcs11 always offers (as tpm2_ptool would). */
  public synchronized TestToken newToken(String prefix) {
    String label = prefix + "-" + counter.incrementAndGet();
    Path pins = directory.resolve("pins-" + label);
    try {
      Files.createDirectories(pins);
      Path user = Backends.pinFile(pins, "user.pin", 6);
      Path so = Backends.pinFile(pins, "so.pin", 8);
      if (module == null) {
        module = TokenModule.load(LIBRARY);
      }
      TestToken scratch = new TestToken("tpm2-pkcs11", module, null, LIBRARY, null, user, so, Map.of());
      TokenInfo info = module.initializeToken(label, scratch.soPins(), scratch.userPins());
      return new TestToken("tpm2-pkcs11", module, info, LIBRARY, null, user, so, environment());
    } catch (Exception e) {
      throw new IllegalStateException("cannot create TPM token " + label + ": " + e.getMessage(), e);
    }
  }
}
