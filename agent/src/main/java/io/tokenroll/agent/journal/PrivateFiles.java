package io.tokenroll.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files written whole or not at all, for the user alone — the journal's entries, a PIN handed to its owner. */
public final class PrivateFiles {
  private PrivateFiles() {
  }

  /**
   * Replaces {@code target} with {@code bytes}: written to {@code tmp} (beside it; a file left there by a crash is
   * removed first, a link is never followed), mode 0600, forced to disk, renamed over {@code target}, and the
   * directory forced so the rename survives a power cut. A reader sees the old content or the new, never a part.
   */
  public static void replace(Path target, Path tmp, byte[] bytes) throws IOException {
    write(target, tmp, bytes, true);
  }

  /**
   * As {@link #replace}, but only when {@code target} does not exist: the whole file appears under its name at once
   * (a hard link, which the file system refuses where a name is taken), or a FileAlreadyExistsException — never
   * over another's file, even one made a moment before.
   */
  public static void createNew(Path target, Path tmp, byte[] bytes) throws IOException {
    write(target, tmp, bytes, false);
  }

  private static void write(Path target, Path tmp, byte[] bytes, boolean replace) throws IOException {
    Files.deleteIfExists(tmp); // a link there goes, not what it points to
    try {
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
              "rw-------")))) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (replace) {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.createLink(target, tmp);
      }
      try (FileChannel d = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        d.force(true);
      }
    } finally {
      Files.deleteIfExists(tmp); // gone after the rename; a failed write leaves no part behind
    }
  }
}
