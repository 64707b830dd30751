package io.tokenroll.agent.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One JSON file per enrollment in a directory (mode 0700, files 0600). A store writes {@code <id>.json.<random>.tmp},
 * fsyncs it, renames it over {@code <id>.json} and fsyncs the directory, so after a crash the file holds either
 * the old or the new state, never half of one. Temporary files and unknown fields are ignored on load.
 */
public final class FileJournal implements Journal {
  private static final ObjectMapper JSON = io.tokenroll.agent.encoding.BoundedJson.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .addModule(new JournalValues())
      .build();

  private final Path dir;

  public FileJournal(Path dir) throws IOException {
    this.dir = dir;
    if (dir.getParent() != null && dir.getFileName().toString().equals("enrollments")) {
      PrivateDirectory.stateDirectory(dir.getParent());
    }
    PrivateDirectory.ensure(dir);
  }

  public Path directory() {
    return dir;
  }

  @Override
  public void store(Enrollment e) throws IOException {
    e.updated = java.time.Instant.now();
    e.formatVersion = Enrollment.FORMAT; // an entry read from an older format is written in this one
    byte[] bytes = JSON.writeValueAsBytes(e);
    // a temporary name of its own: two stores of one entry at once (the agent dating an enrollment while a CLI
    // renewal marks it superseded) must not write into each other's file and rename it half-written (review)
    String tmp = e.id + ".json." + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(),
        36) + ".tmp";
    PrivateFiles.replace(dir.resolve(e.id + ".json"), dir.resolve(tmp), bytes);
  }

  /** The right to run enrollment {@code id} in this process; empty while another run holds it. */
  public Optional<EnrollmentClaim> claim(EnrollmentId id) throws IOException {
    return EnrollmentClaim.tryClaim(dir, id);
  }

  @Override
  public Optional<Enrollment> get(EnrollmentId id) throws IOException {
    Path exact = dir.resolve(id + ".json");
    return Files.isRegularFile(exact) ? Optional.of(read(exact)) : Optional.empty();
  }

  @Override
  public Optional<Enrollment> find(String idOrPrefix) throws IOException {
    if (idOrPrefix == null || idOrPrefix.isBlank()) { // an unset variable must not name the only enrollment
      throw new IllegalArgumentException("no enrollment id given (an empty one would match every enrollment)");
    }
    Optional<EnrollmentId> id = EnrollmentId.parse(idOrPrefix);
    Optional<Enrollment> exact = id.isPresent() ? get(id.get()) : Optional.empty();
    if (exact.isPresent()) {
      return exact;
    }
    List<Enrollment> matches = all().stream().filter(e -> e.id.value().startsWith(idOrPrefix)
        || e.id.value().endsWith(idOrPrefix)).toList();
    if (matches.size() > 1) {
      throw new IllegalArgumentException("'" + idOrPrefix + "' matches " + matches.size()
          + " enrollments; give more of the id");
    }
    return matches.stream().findFirst();
  }

  /** Every readable enrollment; unreadable files are left out (see {@link #list()} for them). */
  @Override
  public List<Enrollment> all() throws IOException {
    return list().enrollments();
  }

  /** What the journal holds: the enrollments, and each file that cannot be read with why. */
  public record Listing(List<Enrollment> enrollments, List<String> unreadable) {
  }

  /**
   * Reads every journal file. A damaged one (a disk error, an edit by hand, a file from elsewhere) is reported,
   * not fatal: it must not hide or stop the other enrollments.
   */
  public Listing list() throws IOException {
    List<Enrollment> list = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        try {
          list.add(read(f));
        } catch (IOException e) {
          unreadable.add(e.getMessage());
        }
      }
    }
    list.sort(Comparator.comparing((Enrollment e) -> e.created == null ? java.time.Instant.EPOCH : e.created));
    return new Listing(list, unreadable);
  }

  /** A journal entry is a few KB; one far larger is not ours. */
  static final long MAX_FILE_BYTES = 32 << 20;

  static Enrollment read(Path f) throws IOException {
    try {
      // a FIFO would block the read for ever, a link to a device or to another file is not an entry of ours
      if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("not a regular file");
      }
      if (Files.size(f) > MAX_FILE_BYTES) {
        throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
      }
      Enrollment e = parse(Files.readAllBytes(f));
      // an entry is stored under its id: one under another name (a copy, a rename by hand) would be a second
      // enrollment with the same id, run twice, stored into the other file
      if (!f.getFileName().toString().equals(e.id + ".json")) {
        throw new IOException("it holds enrollment " + e.id + ", whose file is " + e.id + ".json (a copy or a "
            + "rename? move it back or remove it)");
      }
      return e;
    } catch (IOException e) {
      throw new IOException("journal file " + f + " is unreadable: " + firstLine(e.getMessage()), e);
    }
  }

  /** One journal entry from its bytes; anything that is not one is an IOException. */
  public static Enrollment parse(byte[] json) throws IOException {
    Enrollment e;
    try {
      e = JSON.readValue(json, Enrollment.class);
      if (e != null) {
        e.upgradeFormat1();
      }
    } catch (RuntimeException ex) { // a value Jackson accepts but a field rejects (an unknown state name …)
      throw new IOException(ex.getMessage(), ex);
    }
    if (e == null || e.id == null || e.state == null) {
      throw new IOException("not a journal entry (no id or state)");
    }
    if (e.formatVersion > Enrollment.FORMAT) {
      throw new IOException("written by a newer tokenroll (journal format " + e.formatVersion + "; this one reads up "
          + "to " + Enrollment.FORMAT + "): left as it is");
    }
    String problem = shapeProblem(e);
    if (problem != null) {
      throw new IOException("not a journal entry (" + problem + ")");
    }
    return e;
  }

  /**
   * What makes a parsed entry unusable, or null: nothing the code walks may be null (the id, which names files,
   * is a plain name by its type). Found by fuzzing: {@code "keys": null} made 'status' fail on every entry after it.
   */
  private static String shapeProblem(Enrollment e) {
    if (e.workflow == null || e.protocol == null) {
      return "no workflow or protocol";
    }
    for (java.util.List<?> list : java.util.Arrays.asList(e.keys, e.csrs, e.outcomes, e.installedKeyIds,
        e.installedCaIds, e.usedCaIds, e.dataCollection)) {
      if (list == null || list.contains(null)) {
        return "a list that is null or holds null";
      }
    }
    if (e.kspMap == null) {
      return "a null KSP map";
    }
    if (e.token != null && (e.token.module() == null || e.token.label() == null)) {
      return "a token without its module or label";
    }
    for (var k : e.keys) {
      if (k.stage == null || k.usages == null || k.usages.contains(null)) {
        return "a key without a stage";
      }
    }
    for (var o : e.outcomes) {
      if (o.result == null) {
        return "an item outcome without a result";
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  /**
   * Instants as ISO-8601 text, without the jsr310 module; paths (a token's module) as they were given — Jackson's
   * own would write a file: URI, made absolute, which turns a provider's name such as {@code piv} into a path.
   */
  private static final class JournalValues extends com.fasterxml.jackson.databind.module.SimpleModule {
    JournalValues() {
      addSerializer(java.time.Instant.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer());
      addDeserializer(java.time.Instant.class, new com.fasterxml.jackson.databind.JsonDeserializer<>() {
        @Override
        public java.time.Instant deserialize(com.fasterxml.jackson.core.JsonParser p,
            com.fasterxml.jackson.databind.DeserializationContext c) throws IOException {
          return java.time.Instant.parse(p.getValueAsString());
        }
      });
      addSerializer(Path.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer());
      addDeserializer(Path.class, new com.fasterxml.jackson.databind.JsonDeserializer<>() {
        @Override
        public Path deserialize(com.fasterxml.jackson.core.JsonParser p,
            com.fasterxml.jackson.databind.DeserializationContext c) throws IOException {
          return Path.of(p.getValueAsString());
        }
      });
    }
  }
}
