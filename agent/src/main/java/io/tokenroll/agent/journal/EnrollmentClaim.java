package io.tokenroll.agent.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One process's right to run an enrollment, held for the whole run: two runs of one enrollment (a resume beside
 * the daemon, two terminals) would plan the same keys twice and overwrite each other's journal. Not waited for:
 * the second run is told at once. The operating system drops the lock when its process dies.
 */
public final class EnrollmentClaim implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private EnrollmentClaim(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The claim on enrollment {@code id}, or empty when another run holds it. */
  static Optional<EnrollmentClaim> tryClaim(Path journalDir, String id) throws IOException {
    Path dir = Files.createDirectories(journalDir.resolve("claims"));
    FileChannel ch = FileChannel.open(dir.resolve(id + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null; // held by this very process (another run in this JVM)
    }
    if (l == null) {
      ch.close();
      return Optional.empty();
    }
    return Optional.of(new EnrollmentClaim(ch, l));
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
