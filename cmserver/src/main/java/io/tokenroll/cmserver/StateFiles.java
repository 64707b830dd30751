package io.tokenroll.cmserver;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The files cmserver keeps beside its database: {@code credentials.properties} (mode 0600: the admin password and
 * the passwords it generated for users configured without one), {@code endpoint} (the running server's base URL,
 * for the admin commands) and {@code ca-root.pem}. Without a state directory the credentials live in memory only.
 */
public final class StateFiles {
  public static final String ADMIN_USER = "cmserver-admin";
  static final String CREDENTIALS = "credentials.properties";
  static final String ENDPOINT = "endpoint";
  static final String ROOT_PEM = "ca-root.pem";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;
  private final Properties credentials = new Properties();

  private StateFiles(Path directory) {
    this.directory = directory;
  }

  static StateFiles open(Path directory) throws IOException {
    StateFiles s = new StateFiles(directory);
    if (directory != null) {
      if (Files.notExists(directory)) {
        // The database in here holds the CA's private keys: only the owner may enter.
        Files.createDirectories(directory.toAbsolutePath().getParent());
        try {
          Files.createDirectory(directory,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
          Files.createDirectory(directory);
        }
      }
      ownerOnly(directory);
      Path file = directory.resolve(CREDENTIALS);
      if (Files.exists(file)) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          s.credentials.load(r);
        }
      }
    }
    return s;
  }

  /**
   * Makes an existing state directory the owner's alone (0700) and refuses one of another user: the database in it
   * holds the CA keys and archived user keys, and a directory made earlier (by hand, by an older version) keeps
   * whatever mode it was made with.
   */
  static void ownerOnly(Path directory) throws IOException {
    Object mine = Files.getAttribute(Path.of("/proc/self"), "unix:uid"); // by number: names fail in containers
    Object owner = Files.getAttribute(directory, "unix:uid");
    if (!mine.equals(owner)) {
      throw new IOException("the state directory " + directory + " belongs to uid " + owner + ", not to this user "
          + "(uid " + mine + "); cmserver keeps its CA keys only in a directory of its own user");
    }
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
  }

  /** Every file of the state directory readable by its owner only (the H2 files are made with the umask). */
  static void ownerOnlyFiles(Path directory) throws IOException {
    try (var files = Files.newDirectoryStream(directory)) {
      for (Path f : files) {
        if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
      }
    }
  }

  /** The stored password for {@code key}, generated and stored on first use. */
  synchronized String password(String key) throws IOException {
    String pw = credentials.getProperty(key);
    if (pw == null) {
      byte[] b = new byte[18];
      RANDOM.nextBytes(b);
      pw = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      credentials.setProperty(key, pw);
      save();
    }
    return pw;
  }

  private void save() throws IOException {
    if (directory == null) {
      return;
    }
    Path tmp = directory.resolve(CREDENTIALS + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      credentials.store(w, "cmserver generated credentials: keep private");
    }
    Files.move(tmp, directory.resolve(CREDENTIALS), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  void writeEndpoint(String baseUri, String rootPem) throws IOException {
    if (directory != null) {
      Files.writeString(directory.resolve(ENDPOINT), baseUri + "\n", StandardCharsets.UTF_8);
      Files.writeString(directory.resolve(ROOT_PEM), rootPem, StandardCharsets.UTF_8);
    }
  }

  void clearEndpoint() {
    if (directory != null) {
      try {
        Files.deleteIfExists(directory.resolve(ENDPOINT));
      } catch (IOException e) {
        // A stale endpoint file only misleads the admin commands into a connection error.
      }
    }
  }

  /** Where the credentials are kept, or null in memory mode. */
  Path credentialsFile() {
    return directory == null ? null : directory.resolve(CREDENTIALS);
  }

  /** Reads a state directory's admin password, for the admin commands. */
  public static String adminPassword(Path directory) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(directory.resolve(CREDENTIALS), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String pw = p.getProperty(ADMIN_USER);
    if (pw == null) {
      throw new IOException("no admin credential in " + directory.resolve(CREDENTIALS));
    }
    return pw;
  }

  /** The base URL the server running on {@code directory} wrote at start. */
  public static String endpoint(Path directory) throws IOException {
    Path file = directory.resolve(ENDPOINT);
    if (!Files.exists(file)) {
      throw new IOException("no cmserver is running on " + directory + " (" + file + " is missing)");
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  public static Path rootCertificate(Path directory) {
    return directory.resolve(ROOT_PEM);
  }
}
