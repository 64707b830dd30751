package io.tokenroll.agent.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * One process's right to run an enrollment, held for the whole run: two runs of one enrollment (a resume beside
 * the daemon, two terminals) would plan the same keys twice and overwrite each other's journal. Not waited for:
 * the second run is told at once. The operating system drops the lock when its process dies.
 *
 * <p>The claim file of an enrollment that reached a final state is removed as the claim is let go: a run that
 * opened the old file in between and claims it finds the journal entry final and does nothing, so removing it
 * cannot let two runs work on one enrollment.
 */
public final class EnrollmentClaim implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean remove;

  private EnrollmentClaim(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The claim on enrollment {@code id}, or empty when another run holds it. */
  static Optional<EnrollmentClaim> tryClaim(Path journalDir, io.tokenroll.agent.enroll.EnrollmentId id)
      throws IOException {
    Path dir = PrivateDirectory.ensure(journalDir.resolve("claims"));
    Path file = dir.resolve(id + ".lock");
    FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
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
    return Optional.of(new EnrollmentClaim(file, ch, l));
  }

  /** The enrollment is final: its claim file goes when the claim is let go. */
  public void removeOnClose() {
    remove = true;
  }

  @Override
  public void close() throws IOException {
    try {
      if (remove) {
        Files.deleteIfExists(file); // while still held: nobody else is inside
      }
      lock.release();
    } finally {
      channel.close();
    }
  }
}
