package io.tokenroll.agent.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

/**
 * An append-only record of what tokenroll did to tokens — keys generated, imported or re-labelled, certificates
 * written, objects removed, PINs set — one JSON line each, with the time, the enrollment and the token:
 * {@code <state-dir>/audit.log}, 0600, each line forced to disk before the step goes on. It never holds a secret
 * (no PIN, no key material): what happened, not with what. The journal says where an enrollment is; this says what
 * it did, and is never rewritten.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Clock clock;

  public AuditLog(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** The audit log beside a journal directory ({@code <state-dir>/enrollments} → {@code <state-dir>/audit.log}). */
  public static AuditLog besides(Path journalDirectory) {
    return new AuditLog(journalDirectory.toAbsolutePath().getParent().resolve("audit.log"), Clock.systemUTC());
  }

  public Path file() {
    return file;
  }

  /** Appends one event; {@code fields} are plain values (ids, labels, subjects, counts). */
  public synchronized void record(String event, String enrollment, String token, Map<String, ?> fields)
      throws IOException {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", clock.instant().toString());
    line.put("event", event);
    line.put("enrollment", enrollment);
    line.put("token", token);
    fields.forEach((k, v) -> line.put(k, String.valueOf(v)));
    byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    if (!Files.exists(file)) {
      PrivateDirectory.ensure(file.getParent());
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process made it first
      }
    }
    // O_APPEND: lines from several tokenroll processes interleave whole, never overwrite one another
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
        java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      ch.write(ByteBuffer.wrap(bytes));
      ch.force(false);
    }
  }
}
