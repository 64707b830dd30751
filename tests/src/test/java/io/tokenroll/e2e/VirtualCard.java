package io.tokenroll.e2e;

import io.tokenroll.pkcs11.testing.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PC/SC stack with a virtual reader and card: pcscd with the vsmartcard vpcd reader driver (its reader
 * configuration in a private directory), and vicc — the virtual ISO 7816 card — which "inserts" itself into the
 * reader by connecting to it and is "removed" by stopping. pcscd's socket is fixed at /run/pcscd (it ignores
 * PCSCLITE_CSOCK_NAME), so this needs root, as CI has; a pcscd already running is used as it is.
 */
final class VirtualCard implements AutoCloseable {
  /** The ATR vicc's iso7816 card answers with (measured, token-backends.md). */
  static final String ATR = "3B951381018073FF01000B";
  private static final Path PCSCD = Path.of("/usr/sbin/pcscd");
  private static final Path VICC = Path.of("/usr/bin/vicc");
  private static final Path SOCKET = Path.of("/run/pcscd/pcscd.comm");

  private final Path dir;
  private Process pcscd;
  private Process card;

  private VirtualCard(Path dir) {
    this.dir = dir;
  }

  /** Stops pcscd (the one this fixture started) and starts it again, as a package upgrade or a crash would. */
  void restartPcscd() throws Exception {
    if (pcscd == null) {
      throw new IllegalStateException("pcscd was running before the test; it is not this test's to restart");
    }
    remove();
    pcscd.destroy();
    pcscd.waitFor(10, TimeUnit.SECONDS);
    for (int i = 0; i < 100 && Files.exists(SOCKET); i++) {
      Thread.sleep(50);
    }
    startPcscd();
  }

  private void startPcscd() throws Exception {
    Path conf = dir.resolve("reader.conf.d");
    if (!Files.exists(conf.resolve("vpcd"))) {
      Files.createDirectories(conf);
      Files.copy(Path.of("/etc/reader.conf.d/vpcd"), conf.resolve("vpcd"));
    }
    pcscd = new ProcessBuilder(PCSCD.toString(), "-f", "-a", "-i", "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pcscd.log").toFile()))
        .start();
    for (int i = 0; i < 100 && !Files.exists(SOCKET); i++) {
      Thread.sleep(50);
    }
    if (!Files.exists(SOCKET)) {
      throw new AssertionError("pcscd did not start: " + Files.readString(dir.resolve("pcscd.log")));
    }
  }

  static VirtualCard start() throws Exception {
    Backends.requireInstalled("PC/SC with a virtual reader (pcscd, vsmartcard-vpcd, vsmartcard-vpicc, "
        + "python3-virtualsmartcard, python3-pycryptodome)", PCSCD, VICC, Path.of("/etc/reader.conf.d/vpcd"),
        Path.of("/usr/lib/python3/dist-packages/Cryptodome"));
    VirtualCard v = new VirtualCard(Backends.privateDirectory("tokenroll-pcsc-"));
    if (!Files.exists(SOCKET)) {
      try {
        v.startPcscd();
      } catch (AssertionError e) {
        v.close();
        throw e;
      }
    }
    return v;
  }

  /** Puts the card into the first virtual reader. */
  void insert() throws Exception {
    Path shim = Files.createDirectories(dir.resolve("pyshim"));
    if (!Files.exists(shim.resolve("Crypto"))) { // vicc imports Crypto; Debian ships it as Cryptodome
      Files.createSymbolicLink(shim.resolve("Crypto"), Path.of("/usr/lib/python3/dist-packages/Cryptodome"));
    }
    ProcessBuilder pb = new ProcessBuilder(List.of(VICC.toString(), "-t", "iso7816", "-H", "localhost", "-P",
        "35963")).redirectErrorStream(true).redirectOutput(dir.resolve("vicc.log").toFile());
    pb.environment().put("PYTHONPATH", "/usr/lib/python3/site-packages/virtualsmartcard:" + shim);
    card = pb.start();
  }

  /** Takes the card out. */
  void remove() throws Exception {
    if (card != null) {
      card.destroy();
      card.waitFor(10, TimeUnit.SECONDS);
      card = null;
    }
  }

  @Override
  public void close() throws Exception {
    remove();
    if (pcscd != null) {
      pcscd.destroy();
      pcscd.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
