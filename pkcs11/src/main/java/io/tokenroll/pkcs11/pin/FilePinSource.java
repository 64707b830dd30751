package io.tokenroll.pkcs11.pin;

import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads the PIN from the first line of a file, read afresh each time (the file may be rotated). */
public final class FilePinSource implements PinSource {
  private static final int MAX_SIZE = 4096;
  private final Path file;

  public FilePinSource(Path file) {
    this.file = file;
  }

  @Override
  public Pin read(TokenInfo token, PinPurpose purpose) throws TokenException {
    byte[] bytes;
    try (var in = Files.newInputStream(file)) { // a stream: a FIFO or <(…) has no size, and may never end
      bytes = in.readNBytes(MAX_SIZE + 1);
    } catch (IOException e) {
      throw new io.tokenroll.pkcs11.PinUnavailableException("cannot read PIN file " + file + ": "
          + io.tokenroll.pkcs11.IoFailures.why(e));
    }
    try {
      if (bytes.length > MAX_SIZE) {
        throw new TokenException("PIN file " + file + " is larger than " + MAX_SIZE + " bytes; is it the right file?");
      }
      CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
      int end = 0;
      while (end < decoded.limit() && decoded.get(end) != '\n' && decoded.get(end) != '\r') {
        end++;
      }
      char[] pin = new char[end];
      decoded.get(pin, 0, end);
      Arrays.fill(decoded.array(), '\0');
      if (pin.length == 0) {
        throw new TokenException("PIN file " + file + " is empty");
      }
      return Pin.of(pin);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "file:" + file;
  }
}
