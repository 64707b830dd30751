package io.tokenroll.agent.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * A directory only its owner can enter (0700): the journal (server URLs, request ids, pfxpasswords between answer
 * and install) and the lock files. One that exists already is tightened to 0700 when it belongs to this user, and
 * refused when it belongs to another: a lock or journal directory someone else controls can be used to block or
 * mislead tokenroll.
 */
public final class PrivateDirectory {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private PrivateDirectory() {
  }

  /** Creates {@code dir} (and missing parents, each 0700) or checks and tightens it; returns it. */
  public static Path ensure(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        ensure(parent);
      }
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made by another process in between: checked below like any existing directory
      }
    }
    if (Files.isSymbolicLink(dir)) {
      dir = dir.toRealPath(); // a link the user made to elsewhere (a tmpfs): the target is what must be private
    }
    UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
    if (!owner.equals(me)) {
      throw new IOException(dir + " belongs to " + owner.getName() + ", not to " + me.getName()
          + "; tokenroll keeps its journal and locks only in a directory of its own user");
    }
    if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
    }
    return dir;
  }
}
