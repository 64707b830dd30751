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
 * An exclusive lock per token, shared by every tokenroll process of the machine's state directory, so two
 * processes never interleave writes to one token. Held only while a step writes to the token — never across
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
