package io.tokenroll.agent.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.NssSoftoken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real write-protected token: NSS's softoken opened with flags=readOnly. NSS takes its configuration once per
 * process, so the CLI runs in a child JVM.
 */
class ReadOnlyTokenTest {
  @TempDir
  Path dir;

  @Test
  void keygen_onAReadOnlyToken_isRefusedByCapability() throws Exception {
    Backends.requireInstalled("NSS softoken", NssSoftoken.LIBRARY, Path.of("/usr/bin/certutil"));
    Path db = dir.resolve("db");
    java.nio.file.Files.createDirectories(db);
    Path pin = Backends.pinFile(dir, "user.pin", 8);
    Backends.run(List.of("certutil", "-N", "-d", "sql:" + db, "-f", pin.toString()), Map.of(), 30);

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "keygen",
        "--module", NssSoftoken.LIBRARY.toString(), "--module-args", NssSoftoken.initArgs(db, true),
        "--token", "NSS Certificate DB", "--pin-source", "file:" + pin, "--type", "EC-P256", "--label", "nope"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(ExitCodes.UNSUPPORTED_BY_TOKEN, p.waitFor(), out);
    assertTrue(out.contains("is read-only"), out);
  }
}
