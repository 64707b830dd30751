package io.tokenroll.pkcs11.testing;

import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * NSS's softoken as a third, independent PKCS#11 implementation. It is configured through C_Initialize's
 * pReserved string, once per process, so all NSS tests in a JVM share one database (token "NSS Certificate DB",
 * user PIN = database password).
 */
public final class NssSoftoken {
  public static final Path LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/libsoftokn3.so");
  private static NssSoftoken instance;

  private final TestToken token;

  private NssSoftoken() throws Exception {
    Path dir = Backends.privateDirectory("tokenroll-nss-");
    Path db = dir.resolve("db");
    java.nio.file.Files.createDirectories(db);
    Path user = Backends.pinFile(dir, "user.pin", 8);
    Backends.run(List.of("certutil", "-N", "-d", "sql:" + db, "-f", user.toString()), Map.of(), 30);
    String initArgs = initArgs(db, false);
    TokenModule module = TokenModule.load(LIBRARY, initArgs);
    TokenInfo info = module.select(Pkcs11Uri.parse("pkcs11:token=NSS%20Certificate%20DB"));
    token = new TestToken("nss-softoken", module, info, LIBRARY, initArgs, user, user, Map.of());
  }

  /** The softoken init string; {@code readOnly} opens the database write-protected. */
  public static String initArgs(Path db, boolean readOnly) {
    return "configdir='sql:" + db + "' certPrefix='' keyPrefix='' secmod='secmod.db' flags="
        + (readOnly ? "readOnly" : "");
  }

  public static synchronized NssSoftoken get() {
    Backends.requireInstalled("NSS softoken", LIBRARY, Path.of("/usr/bin/certutil"));
    if (instance == null) {
      try {
        instance = new NssSoftoken();
      } catch (Exception e) {
        throw new IllegalStateException("cannot set up the NSS softoken: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  public TestToken token() {
    return token;
  }
}
