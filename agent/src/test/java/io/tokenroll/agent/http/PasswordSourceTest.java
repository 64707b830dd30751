package io.tokenroll.agent.http;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordSourceTest {
  @TempDir
  Path dir;

  @Test
  void aFile_givesItsFirstLine() throws Exception {
    Path f = Files.writeString(dir.resolve("password"), "s3cret\nsecond line\n");
    assertArrayEquals("s3cret".toCharArray(), PasswordSource.read("file:" + f, "password"));
  }

  /** What is wrong is said, with what the file was for — not only its path, as the JDK's exception would. */
  @Test
  void aMissingOrDirectoryFile_saysWhatAndWhy() {
    var missing = assertThrows(IOException.class, () -> PasswordSource.read("file:" + dir.resolve("none"),
        "password"));
    assertEquals("cannot read " + dir.resolve("none") + " for the password: no such file", missing.getMessage());
    var directory = assertThrows(IOException.class, () -> PasswordSource.read("file:" + dir, "password"));
    assertTrue(directory.getMessage().startsWith("cannot read " + dir + " for the password: "),
        directory.getMessage());
  }
}
