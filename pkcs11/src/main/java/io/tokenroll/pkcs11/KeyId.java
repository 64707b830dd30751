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
    byte[] spki = publicKey.getEncoded();
    byte[] keyBits = keyBits(spki);
    if (keyBits == null) {
      keyBits = SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getBytes();
    }
    try {
      return new KeyId(MessageDigest.getInstance("SHA-1").digest(keyBits));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 missing from the JDK", e);
    }
  }

  /**
   * The subjectPublicKey bits of a DER SubjectPublicKeyInfo, {@code SEQUENCE { AlgorithmIdentifier, BIT STRING }},
   * read by walking three headers; null for anything else (then BouncyCastle parses it). Parsing the whole structure
   * with BouncyCastle cost about 25 µs in code that runs too rarely to be compiled.
   */
  static byte[] keyBits(byte[] der) {
    int[] outer = header(der, 0, 0x30);
    if (outer == null || outer[0] + outer[1] != der.length) {
      return null;
    }
    int[] algorithm = header(der, outer[0], 0x30);
    if (algorithm == null) {
      return null;
    }
    int[] bits = header(der, algorithm[0] + algorithm[1], 0x03);
    if (bits == null || bits[0] + bits[1] != der.length || bits[1] < 1 || der[bits[0]] != 0) {
      return null;
    }
    return Arrays.copyOfRange(der, bits[0] + 1, der.length);
  }

  /** {offset of the contents, their length} of the DER element with {@code tag} at {@code at}, or null. */
  private static int[] header(byte[] der, int at, int tag) {
    if (at + 2 > der.length || (der[at] & 0xff) != tag) {
      return null;
    }
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {at + 2, first};
    }
    int n = first & 0x7f;
    if (n < 1 || n > 3 || at + 2 + n > der.length) {
      return null;
    }
    int length = 0;
    for (int i = 0; i < n; i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    int start = at + 2 + n;
    return start + length <= der.length ? new int[] {start, length} : null;
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
