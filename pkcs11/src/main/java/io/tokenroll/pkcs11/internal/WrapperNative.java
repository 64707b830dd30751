package io.tokenroll.pkcs11.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where the wrapper's JNI library comes from. Left to itself the wrapper copies it out of its jar into
 * {@code /tmp/libpkcs11wrapper<random>.so} in every process and removes the copy only at a clean exit, so every
 * killed process leaves 200 KB in a directory every user can write to. Instead:
 * <ul>
 *   <li>when {@code java.library.path} names tokenroll's per-user cache (the launcher passes it), the library is
 *       kept there once, replaced atomically when the jar's copy differs, and the wrapper loads it from there;</li>
 *   <li>otherwise (tests, embedding) the wrapper's copies go to that private cache instead of {@code /tmp}, and
 *       copies left by killed processes are removed once they are older than any load takes.</li>
 * </ul>
 */
final class WrapperNative {
  private static final System.Logger LOG = System.getLogger("io.tokenroll.pkcs11");
  static final String FILE = "libpkcs11wrapper.so";
  /** A process loads its copy within milliseconds of making it; one this old belongs to a dead process. */
  static final Duration LEFTOVER_AGE = Duration.ofSeconds(60);
  private static boolean prepared;

  private WrapperNative() {
  }

  /**
   * The per-user cache: what the launcher names with {@code -Dtokenroll.native.dir} (so that this process checks
   * the very directory it put on {@code java.library.path}), else {@code $XDG_CACHE_HOME/tokenroll/native}, else
   * {@code ~/.cache/tokenroll/native}.
   */
  static Path cacheDirectory() {
    String given = System.getProperty("tokenroll.native.dir");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("tokenroll").resolve("native");
  }

  /**
   * Before the wrapper's first load in this process. When {@code java.library.path} names the cache, the wrapper
   * will load from it, so a cache that is not this user's private directory is refused (IOException): code is
   * never loaded from where another user could have put it. Otherwise a failure only means the wrapper's own way.
   */
  static synchronized void prepare() throws IOException {
    if (prepared) {
      return;
    }
    Path dir = cacheDirectory();
    if (onLibraryPath(dir)) {
      try {
        privateDirectory(dir);
        install(dir);
      } catch (IOException | RuntimeException e) {
        throw new IOException("refusing to load the PKCS#11 wrapper from " + dir + ": " + e.getMessage(), e);
      }
      prepared = true;
      return;
    }
    prepared = true;
    try {
      privateDirectory(dir);
      if (System.getProperty("PKCS11_TEMP_DIR") == null) {
        System.setProperty("PKCS11_TEMP_DIR", dir.toString());
      }
      removeLeftovers(dir);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "the wrapper's native library is extracted its own way: " + e);
    }
  }

  private static boolean onLibraryPath(Path dir) {
    String path = System.getProperty("java.library.path", "");
    return Arrays.stream(path.split(java.io.File.pathSeparator)).anyMatch(p -> !p.isEmpty()
        && Path.of(p).toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize()));
  }

  /** Keeps {@code dir/libpkcs11wrapper.so} equal to the jar's copy: written next to it, then renamed over it. */
  private static void install(Path dir) throws IOException {
    String resource = resourceName();
    byte[] wanted;
    try (InputStream in = org.xipki.pkcs11.wrapper.PKCS11Module.class.getClassLoader()
        .getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no " + resource + " in the wrapper's jar");
      }
      wanted = in.readAllBytes();
    }
    Path target = dir.resolve(FILE);
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == wanted.length
        && Arrays.equals(Files.readAllBytes(target), wanted)) { // bytes, not digests: 20 ms of a cold run less
      return;
    }
    Path tmp = Files.createTempFile(dir, "install-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(tmp, wanted);
      // a process that mapped the old file keeps it: a rename never changes a library already loaded
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Copies the wrapper made in this directory for processes that were killed before they could remove them. */
  private static void removeLeftovers(Path dir) throws IOException {
    Instant old = Instant.now().minus(LEFTOVER_AGE);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "{libpkcs11wrapper?*.so,install-*.tmp}")) {
      for (Path f : files) {
        if (!f.getFileName().toString().equals(FILE)
            && Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(old)) {
          Files.deleteIfExists(f); // a library already loaded stays mapped in its process
        }
      }
    }
  }

  private static Path privateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made by another process in between
      }
    }
    if (Files.isSymbolicLink(dir) || !ownedByThisProcessUser(dir)
        || !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)
            .equals(PosixFilePermissions.fromString("rwx------"))) {
      throw new IOException(dir + " is not this user's private (0700) directory"); // never load code others can write
    }
    return dir;
  }

  /** By number, as the kernel decides: a name lookup fails for a uid without a passwd entry (containers). */
  static boolean ownedByThisProcessUser(Path file) throws IOException {
    Object mine = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    return mine.equals(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS));
  }

  /** The wrapper's own naming of its per-platform copies. */
  private static String resourceName() throws IOException {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String dir = switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64" -> "aarch64";
      case "arm" -> "arm";
      case "x86", "i386", "i686" -> "x86";
      default -> throw new IOException("no wrapper library for " + arch);
    };
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      throw new IOException("not Linux");
    }
    return "natives/unix/linux-" + dir + "/release/" + FILE;
  }
}
