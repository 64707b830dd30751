package io.tokenroll.pkcs11.pin;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.pkcs11.TokenException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * PIN sources: a spec is refused with an IllegalArgumentException or names a source; a PIN file's content gives a
 * PIN or a {@link TokenException} — and never a PIN with a line break in it.
 */
class PinSourceFuzzTest {
  private static Path file;

  @BeforeAll
  static void file() throws Exception {
    file = Files.createTempFile("pin-fuzz", ".txt",
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(Set.of(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
  }

  @AfterAll
  static void remove() throws Exception {
    Files.deleteIfExists(file);
  }

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void read(byte[] data) throws Exception {
    int nul = 0; // "spec NUL file content"
    while (nul < data.length && data[nul] != 0) {
      nul++;
    }
    String spec = new String(data, 0, nul, java.nio.charset.StandardCharsets.UTF_8);
    byte[] content = java.util.Arrays.copyOfRange(data, Math.min(nul + 1, data.length), data.length);
    try {
      PinSource.parse(spec).toString(); // parsed only: the fuzzer's paths are not ours to open
    } catch (IllegalArgumentException refused) {
      // unknown spec
    }
    Files.write(file, content);
    try (Pin pin = new FilePinSource(file).read(null, PinPurpose.USER)) {
      for (char c : pin.chars()) {
        if (c == '\n' || c == '\r') {
          throw new AssertionError("a line break in a PIN");
        }
      }
    } catch (TokenException refused) {
      // empty or too large
    }
  }
}
