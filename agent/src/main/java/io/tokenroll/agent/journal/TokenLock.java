package io.tokenroll.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * An exclusive lock per token, shared by every tokenroll process of the user (see {@link #defaultDirectory}), so
 * two processes never interleave writes to one token. Held only while a step writes to the token — never across
 * waiting for a server. The directory is the user's alone (0700, files 0600): no other user can open a lock file,
 * let alone hold it. A wait is bounded ({@link #WAIT}, or {@code TOKENROLL_LOCK_WAIT_SECONDS}); whoever holds the
 * lock writes its process id into the file, so a wait that runs out names the process to look at.
 */
public final class TokenLock implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.tokenroll.agent.lock");
  /**
   * Longer than a queue of other processes' token writes takes: one RSA-4096 key generation on a slow card takes a
   * minute, and a helpdesk may run several processes on one token.
   */
  public static final Duration WAIT = Duration.ofMinutes(10);
  private static final long POLL_MILLIS = 50;
  private final FileChannel channel;
  private final FileLock lock;

  private TokenLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Where a user's token locks live, whatever the state directory a command uses: {@code $XDG_RUNTIME_DIR/tokenroll}
   * (a per-user tmpfs on systemd machines), else {@code ~/.tokenroll/locks}. Every tokenroll process of the user —
   * enrollments and the token commands alike — takes its lock there.
   */
  public static Path defaultDirectory() {
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
      return Path.of(runtime, "tokenroll", "locks");
    }
    return Path.of(System.getProperty("user.home"), ".tokenroll", "locks");
  }

  /** The lock of {@code token} (see below). */
  public static TokenLock acquire(Path lockDir, io.tokenroll.pkcs11.TokenRef token) throws IOException {
    return acquire(lockDir, token.module().toString(), token.label(), token.serial());
  }

  public static TokenLock acquire(Path lockDir, String library, String label, String serial) throws IOException {
    return acquire(lockDir, library, label, serial, configuredWait());
  }

  /** As above, waiting at most {@code wait} for another process to let go. */
  public static TokenLock acquire(Path lockDir, String library, String label, String serial, Duration wait)
      throws IOException {
    PrivateDirectory.ensure(lockDir);
    Path file = lockDir.resolve(name(library, label, serial) + ".lock");
    FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      FileLock l = tryLock(ch);
      if (l == null) {
        LOG.log(System.Logger.Level.WARNING, "waiting for another tokenroll process (" + holder(ch)
            + ") to finish writing to token '" + label + "'");
        long deadline = System.nanoTime() + wait.toNanos();
        while ((l = tryLock(ch)) == null) {
          if (System.nanoTime() - deadline > 0) {
            throw new IOException("token '" + label + "' stayed locked by another process (" + holder(ch)
                + ") for " + wait.toSeconds() + " s; lock file " + file + ". Is another tokenroll still writing "
                + "to it? Nothing was written to the token");
          }
          Thread.sleep(POLL_MILLIS);
        }
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return new TokenLock(ch, l);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ch.close();
      throw new IOException("interrupted while waiting for the lock of token '" + label + "'");
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The lock, or null while another process — or another thread of this one — holds it. */
  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return null;
    }
  }

  private static Duration configuredWait() {
    String s = System.getenv("TOKENROLL_LOCK_WAIT_SECONDS");
    if (s != null && s.matches("[0-9]{1,6}")) {
      return Duration.ofSeconds(Long.parseLong(s));
    }
    return WAIT;
  }

  /** "process 1234", as the holder wrote it, or a vaguer phrase when the file says nothing usable. */
  private static String holder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      int n = ch.read(b, 0);
      String pid = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
      return pid.matches("[0-9]{1,10}") ? "process " + pid : "a process that did not say which";
    } catch (IOException e) {
      return "a process that did not say which";
    }
  }

  private static String name(String library, String label, String serial) {
    try { // one name per library file, however the path to it was written; a provider's name is no file
      library = library.equals(io.tokenroll.pkcs11.piv.PivModule.NAME.toString()) ? library
          : Path.of(library).toRealPath().toString();
    } catch (IOException | java.nio.file.InvalidPathException e) {
      // a library that is not there has no token to lock; the name as given serves
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((library + "\n" + label + "\n" + serial)
          .getBytes(StandardCharsets.UTF_8));
      return "token-" + HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
