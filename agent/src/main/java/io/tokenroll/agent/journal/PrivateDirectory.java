package io.tokenroll.agent.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories only their owner can enter (0700): the journal (server URLs, request ids, pfxpasswords between answer
 * and install) and the lock files. A directory of tokenroll's own that exists already is tightened to 0700; one that
 * belongs to another user is refused, since a journal or lock directory someone else controls can be used to block
 * or mislead tokenroll. Ownership is compared by uid, as the kernel does (a name lookup fails for a uid without a
 * passwd entry, as in containers).
 */
public final class PrivateDirectory {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  /** What tokenroll itself keeps in a state directory: one holding only these is evidently its own. */
  private static final Set<String> STATE_ENTRIES = Set.of("enrollments", "locks");

  private PrivateDirectory() {
  }

  /** A directory of tokenroll's own (journal, claims, locks): created 0700, or checked and tightened to 0700. */
  public static Path ensure(Path dir) throws IOException {
    create(dir);
    Path real = dir.toRealPath(); // a link the user made to elsewhere (a tmpfs): the target is what must be private
    requireOwned(real);
    tighten(real);
    return dir;
  }

  /**
   * The state directory a user may have chosen (--state-dir): created 0700 when missing; checked to be the user's;
   * tightened only when it holds nothing but tokenroll's own entries — never, say, a home directory given by
   * mistake. What matters inside it ({@code enrollments/}) is made private by {@link #ensure} in any case.
   */
  public static Path stateDirectory(Path dir) throws IOException {
    create(dir);
    Path real = dir.toRealPath();
    requireOwned(real);
    try (var entries = Files.list(real)) {
      if (entries.allMatch(p -> STATE_ENTRIES.contains(p.getFileName().toString()))) {
        tighten(real);
      }
    }
    return dir;
  }

  private static void create(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      create(parent);
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // made by another thread or process in between — checked like any existing directory — or not a directory,
      // which the JDK would say with the path alone (asked only here: a look before the creation races with it)
      if (!Files.isDirectory(dir)) {
        throw new IOException(dir + " is not a directory (" + (Files.isSymbolicLink(dir) ? "a link to "
            + Files.readSymbolicLink(dir) + ", which is no directory" : "a file is in the way") + ")");
      }
    }
  }

  private static void requireOwned(Path dir) throws IOException {
    Object mine = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (!mine.equals(owner)) {
      throw new IOException(dir + " belongs to uid " + owner + ", not to this user (uid " + mine
          + "); tokenroll keeps its journal and locks only in a directory of its own user");
    }
  }

  private static void tighten(Path dir) throws IOException {
    if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
    }
  }
}
