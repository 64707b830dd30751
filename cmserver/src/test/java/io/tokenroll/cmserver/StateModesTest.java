package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile-test finding 4: the database, with the CA private keys and archived user keys in PKCS#8, was 0644, and
 * a state directory made beforehand kept its mode.
 */
class StateModesTest {
  @TempDir
  Path tmp;

  @Test
  void anExistingStateDirectory_andEveryFileInIt_becomeTheOwnersAlone() throws Exception {
    Path state = Files.createDirectory(tmp.resolve("state"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try (CmServer server = CmServer.start(Servers.config().withStateDirectory(state))) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
      try (var files = Files.list(state)) {
        var all = files.filter(Files::isRegularFile).toList();
        assertTrue(all.stream().anyMatch(f -> f.getFileName().toString().endsWith(".mv.db")), all.toString());
        for (Path f : all.stream().filter(f -> !f.getFileName().toString().matches("ca-root\\.pem|endpoint"))
            .toList()) { // the root certificate and the URL are public; the directory keeps them to the owner anyway
          assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
      }
    }
  }
}
