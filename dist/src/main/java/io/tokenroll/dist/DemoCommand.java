package io.tokenroll.dist;

import io.tokenroll.agent.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", header = "Runs tokenroll's main job on a throwaway SoftHSM2 token.",
    description = {
        "  tokenroll demo           (make a token in a private temporary directory, enroll, show the result)",
        "  tokenroll demo --keep    (keep the token and print how to look at it with pkcs11-tool)",
        "",
        "SoftHSM2 reads its configuration when the library loads, so the demo prepares a private configuration",
        "and token directory (on tmpfs when there is one), then runs the job in a child JVM that uses them.",
        "PINs are random and live in files inside that directory; they are never printed."})
final class DemoCommand implements Callable<Integer> {
  static final String STAGE = "TOKENROLL_DEMO_DIR";
  /** Set by the launchers when the jar has no class-data archive yet: where the demo's job writes one. */
  static final String CDS_ARCHIVE = "TOKENROLL_CDS_ARCHIVE";
  private static final SecureRandom RANDOM = new SecureRandom();

  @Option(names = "--keep", description = "Keep the demo token directory instead of deleting it.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    String inside = System.getenv(STAGE);
    if (inside != null) {
      return new DemoJob(Path.of(inside)).run();
    }
    Path dir = privateDirectory();
    try {
      Path tokens = Files.createDirectories(dir.resolve("tokens"));
      Path conf = dir.resolve("softhsm2.conf");
      Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
          + "log.level = ERROR\nslots.removable = false\n");
      secret(dir.resolve("user.pin"), digits(6));
      secret(dir.resolve("so.pin"), digits(8));
      int code = relaunch(conf, dir);
      if (keep) {
        System.err.println("kept the demo token: export SOFTHSM2_CONF=" + conf
            + "; pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --login -O (user PIN in " + dir
            + "/user.pin)");
      }
      return code;
    } finally {
      if (!keep) {
        deleteRecursively(dir);
      }
    }
  }

  /** Runs this same program again, in a child JVM that sees the private SoftHSM2 configuration. */
  private int relaunch(Path conf, Path dir) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java));
    String archive = System.getenv(CDS_ARCHIVE);
    if (archive != null && !archive.isBlank()) {
      // the launcher asks for a class-data archive of the whole enrollment path: the job dumps the classes it
      // loaded when it ends (JDK 17's dynamic archive), with the launcher's settings, quietly
      command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:ArchiveClassesAtExit=" + archive,
          "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo"));
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    pb.environment().put(STAGE, dir.toString());
    return pb.start().waitFor();
  }

  private static Path privateDirectory() throws IOException {
    Path shm = Path.of("/dev/shm");
    Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    return Files.createTempDirectory(base, "tokenroll-demo-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private static String digits(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(RANDOM.nextInt(10));
    }
    return sb.toString();
  }

  private static void secret(Path file, String value) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, value + "\n");
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static int failed() {
    return ExitCodes.FAILED;
  }
}
