package io.tokenroll.agent.certsrv;

import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Encodings;

/**
 * Kept for {@code ca submit} only, which reads a request file through it; the encodings themselves are
 * {@link Encodings} in the protocol module, shared with cmserver's CA. New code calls {@link Encodings} directly.
 */
public final class BstrEncoding {
  private BstrEncoding() {
  }

  /** {@link Encodings#decodeRequest(String, int)}. */
  public static byte[] decodeRequest(String request, int flags) throws CertSrvException {
    return Encodings.decodeRequest(request, flags);
  }
}
