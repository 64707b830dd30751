package io.tokenroll.agent.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An exclusive lock per token, shared by every tokenroll process of the user (see {@link #defaultDirectory}), so
 * two processes never interleave writes to one token. Held only while a step writes to the token — never across
 * waiting for a server.
 */
public final class TokenLock implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.tokenroll.agent.lock");
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

  public static TokenLock acquire(Path lockDir, String library, String label, String serial) throws IOException {
    Files.createDirectories(lockDir);
    Path file = lockDir.resolve(name(library, label, serial) + ".lock");
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l = ch.tryLock();
    if (l == null) {
      LOG.log(System.Logger.Level.INFO, "waiting for another tokenroll process to finish writing to token '"
          + label + "'");
      l = ch.lock();
    }
    return new TokenLock(ch, l);
  }

  private static String name(String library, String label, String serial) {
    try { // one name per library file, however the path to it was written
      library = Path.of(library).toRealPath().toString();
    } catch (IOException | java.nio.file.InvalidPathException e) {
      // a library that is not there has no token to lock; the name as given serves
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((library + "\n" + label + "\n" + serial)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
