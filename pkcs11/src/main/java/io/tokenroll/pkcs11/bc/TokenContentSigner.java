package io.tokenroll.pkcs11.bc;

import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSigner;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * A BouncyCastle {@link ContentSigner} whose signature is made on the token: the builder writes the to-be-signed
 * bytes, and {@link #getSignature()} hands them to the token in one C_Sign. Single use, as BouncyCastle expects.
 */
public final class TokenContentSigner implements ContentSigner {
  private final TokenSigner signer;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

  public TokenContentSigner(TokenSigner signer) {
    this.signer = signer;
  }

  @Override
  public AlgorithmIdentifier getAlgorithmIdentifier() {
    return signer.algorithm().algorithmIdentifier();
  }

  @Override
  public OutputStream getOutputStream() {
    return buffer;
  }

  /** @throws RuntimeOperatorException wrapping the {@link TokenException} when the token refuses */
  @Override
  public byte[] getSignature() {
    try {
      return signer.sign(buffer.toByteArray());
    } catch (TokenException e) {
      throw new RuntimeOperatorException(e.getMessage(), e);
    } finally {
      buffer.reset();
    }
  }
}
