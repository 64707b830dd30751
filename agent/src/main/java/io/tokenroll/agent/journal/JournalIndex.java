package io.tokenroll.agent.journal;

import io.tokenroll.agent.enroll.Enrollment;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The journal as a long-running reader sees it: each file parsed once, and again only when it changed. The agent
 * looks at the whole journal every round; with a thousand enrollments, parsing them all each time was most of a
 * round's cost (41 ms against 4 ms with ten, docs/benchmarks.md), while a look at each file's attributes is not.
 *
 * <p>A file counts as unchanged when its inode, modification time and size are the ones it was read with, and it
 * had not changed for {@link #SETTLED} when it was read: a store renames a new file (a new inode) over the old,
 * but file times are coarse (a clock tick), and a store in the same tick as a read would leave the time as it was.
 * Before the files, the directory: a store renames into it, which changes its time, so while that time is the same
 * and had settled when the directory was listed, nothing was stored and the files are not looked at — but at least
 * every {@link #FULL_LOOK}, for a file edited in place. The enrollments returned are shared between calls: read
 * them, and change one only after reading it afresh with {@link FileJournal#get}.
 */
public final class JournalIndex {
  static final Duration SETTLED = Duration.ofSeconds(2);
  static final Duration FULL_LOOK = Duration.ofMinutes(1);

  /** A file as parsed; {@code trusted}: it had not changed for {@link #SETTLED} when it was read. */
  private record Read(Object inode, FileTime modified, long size, boolean trusted, Enrollment enrollment) {
  }

  private final FileJournal journal;
  private final Map<Path, Read> reads = new HashMap<>();
  private FileTime directoryTime;
  /** The directory's time had not changed for {@link #SETTLED} when it was listed. */
  private boolean directorySettled;
  private Instant lookedAt = Instant.EPOCH;
  private List<Enrollment> last;
  /** Why each file the last look could not read is unreadable. */
  private List<String> unreadable = List.of();

  public JournalIndex(FileJournal journal) {
    this.journal = journal;
  }

  /** Every readable enrollment, oldest first; an unreadable file is left out, as {@link FileJournal#all} does. */
  public synchronized List<Enrollment> enrollments() throws IOException {
    Instant clock = Instant.now();
    Instant settledBefore = clock.minus(SETTLED);
    FileTime directory = Files.getLastModifiedTime(journal.directory());
    if (last != null && directorySettled && directory.equals(directoryTime)
        && lookedAt.isAfter(clock.minus(FULL_LOOK))) {
      return last;
    }
    Map<Path, Read> now = new HashMap<>();
    List<String> broken = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(journal.directory(), "*.json")) {
      for (Path f : files) {
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) { // removed between the listing and the look
          continue;
        }
        Read before = reads.get(f);
        if (before != null && before.trusted() && Objects.equals(before.inode(), attrs.fileKey())
            && before.modified().equals(attrs.lastModifiedTime()) && before.size() == attrs.size()) {
          now.put(f, before);
          continue;
        }
        try {
          now.put(f, new Read(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(),
              attrs.lastModifiedTime().toInstant().isBefore(settledBefore), FileJournal.read(f)));
        } catch (IOException unreadable) { // left out, as FileJournal.list() leaves it out of the enrollments
          broken.add(unreadable.getMessage());
        }
      }
    }
    reads.clear();
    reads.putAll(now);
    List<Enrollment> list = new ArrayList<>(now.size());
    now.values().forEach(r -> list.add(r.enrollment()));
    list.sort(Comparator.comparing((Enrollment e) -> e.created == null ? Instant.EPOCH : e.created));
    directoryTime = directory;
    directorySettled = directory.toInstant().isBefore(settledBefore);
    lookedAt = clock;
    last = List.copyOf(list);
    unreadable = List.copyOf(broken);
    return last;
  }

  /**
   * The files the last look could not read, each with why: any of them may be an enrollment of a token a reader
   * is about to decide on.
   */
  public synchronized List<String> unreadable() {
    return unreadable;
  }
}
