package io.tokenroll.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file a user named on the command line. Pipes count as files ({@code /dev/stdin}, a FIFO, the
 * {@code <(…)} of process substitution: the usual way to pass a generated file or a secret), read as streams up
 * to a size cap; a directory, a missing file or an empty one is a clear input error (exit 2), never a stack trace.
 */
final class InputFiles {
  /** Larger than any certificate bundle, answer or PFX a command reads. */
  static final int MAX_BYTES = 16 << 20;

  private InputFiles() {
  }

  static byte[] read(Path file, String what) {
    String name = what == null ? file.toString() : what + " " + file;
    if (Files.isDirectory(file)) {
      throw new CliException(ExitCodes.INVALID_INPUT, name + " is a directory, not a file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) { // a stream: pipes and FIFOs have no size to ask for
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, "cannot read " + name + ": " + io.tokenroll.pkcs11.IoFailures
          .why(e));
    }
    if (bytes.length > MAX_BYTES) {
      throw new CliException(ExitCodes.INVALID_INPUT, name + " is larger than " + MAX_BYTES + " bytes; refused");
    }
    if (bytes.length == 0) {
      throw new CliException(ExitCodes.INVALID_INPUT, name + " is empty");
    }
    return bytes;
  }
}
