package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The modules depend one way: pkcs11 and protocol on nothing of ours; agent on pkcs11 and protocol; cmserver on
 * protocol only; and in pkcs11 only the internal package touches the PKCS#11 wrapper, only the piv package PC/SC.
 * Checked on the sources, so a stray import fails the build even where Maven's dependency graph would not.
 */
class LayeringTest {
  private static final Map<String, List<String>> FORBIDDEN = Map.of(
      "pkcs11", List.of("io.tokenroll.agent", "io.tokenroll.cmserver", "io.tokenroll.protocol", "io.tokenroll.dist"),
      "protocol", List.of("io.tokenroll.agent", "io.tokenroll.cmserver", "io.tokenroll.pkcs11", "io.tokenroll.dist"),
      "agent", List.of("io.tokenroll.cmserver", "io.tokenroll.dist", "org.xipki"),
      "cmserver", List.of("io.tokenroll.agent", "io.tokenroll.pkcs11", "io.tokenroll.dist", "org.xipki"),
      "virtual-piv", List.of("io.tokenroll.agent", "io.tokenroll.cmserver", "io.tokenroll.pkcs11",
          "io.tokenroll.protocol", "io.tokenroll.dist", "com.fasterxml"));

  @Test
  void modulesImportOnlyWhatTheyMayDependOn() throws Exception {
    List<String> violations = new ArrayList<>();
    for (var rule : FORBIDDEN.entrySet()) {
      Path src = Path.of("..", rule.getKey(), "src", "main", "java");
      assertTrue(Files.isDirectory(src), src + " exists");
      try (Stream<Path> files = Files.walk(src)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          for (String line : Files.readAllLines(f)) {
            String l = line.strip();
            if (!l.startsWith("import ")) {
              continue;
            }
            for (String forbidden : rule.getValue()) {
              if (l.contains(" " + forbidden + ".") || l.contains("static " + forbidden + ".")) {
                violations.add(src.relativize(f) + ": " + l);
              }
            }
            boolean wrapper = l.contains("org.xipki.") || l.contains("iaik.pkcs.");
            if (wrapper && rule.getKey().equals("pkcs11") && !f.toString().contains("/internal/")) {
              violations.add(src.relativize(f) + ": the wrapper outside pkcs11.internal: " + l);
            }
            boolean pcsc = l.contains("javax.smartcardio.") || l.contains("jnasmartcardio.");
            if (pcsc && rule.getKey().equals("pkcs11") && !f.toString().contains("/piv/")) {
              violations.add(src.relativize(f) + ": PC/SC outside pkcs11.piv: " + l);
            }
          }
        }
      }
    }
    assertTrue(violations.isEmpty(), String.join("\n", violations));
  }
}
