package io.tokenroll.pkcs11;

import java.security.PublicKey;

/**
 * Signs with a private key that never leaves its token. Signatures are in the encoding X.509 and PKCS#10 use:
 * PKCS#1 or PSS bytes for RSA, DER {@code SEQUENCE{r,s}} for ECDSA. Keys that need a PIN per use
 * (CKA_ALWAYS_AUTHENTICATE) get a context-specific login for each signature.
 */
public interface TokenSigner {
  byte[] sign(byte[] data) throws TokenException;

  SignatureAlgorithm algorithm();

  PublicKey publicKey();

  KeyRef key();
}
