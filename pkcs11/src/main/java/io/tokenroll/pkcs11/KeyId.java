package io.tokenroll.pkcs11;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The CKA_ID that binds a private key, its public key and its certificates on a token.
 * Immutable: the bytes are copied in and out.
 */
public final class KeyId {
  private static final int MAX_LENGTH = 255;
  private final byte[] bytes;

  private KeyId(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException("key id must be 1.." + MAX_LENGTH + " bytes, got " + bytes.length);
    }
    this.bytes = bytes;
  }

  public static KeyId of(byte[] bytes) {
    return new KeyId(bytes.clone());
  }

  /** Parses hex, with or without ':' separators (as pkcs11-tool and openssl print ids). */
  public static KeyId parse(String hex) {
    String clean = hex.replace(":", "").trim();
    try {
      return new KeyId(HexFormat.of().parseHex(clean));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex key id: '" + hex + "'");
    }
  }

  /**
   * The subject key identifier of RFC 5280 §4.2.1.2, method 1: SHA-1 over the subjectPublicKey bits.
   * Certificates issued for this key carry the same value, so the CKA_ID doubles as the SKI.
   */
  public static KeyId subjectKeyIdOf(PublicKey publicKey) {
    byte[] keyBits = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData().getBytes();
    try {
      return new KeyId(MessageDigest.getInstance("SHA-1").digest(keyBits));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 missing from the JDK", e);
    }
  }

  /** A random id, used while a key is being generated and its public key is not yet known. */
  public static KeyId random(java.security.SecureRandom random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return new KeyId(b);
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyId k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
