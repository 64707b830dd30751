package io.tokenroll.pkcs11;

/**
 * The cipher of a card's administrator key — the PIV card management key (9B), the GIDS or minidriver admin key:
 * 3-key 3DES (the usual default, and the only one MIM CM computes) or AES (newer cards' default, as YubiKey 5.7).
 * The numbers are the algorithm identifiers of SP 800-78-4, Table 6-2.
 */
public enum AdminAlgorithm {
  TDES(0x03, 24, 8, "DESede"),
  AES128(0x08, 16, 16, "AES"),
  AES192(0x0A, 24, 16, "AES"),
  AES256(0x0C, 32, 16, "AES");

  private final int id;
  private final int keyLength;
  private final int blockLength;
  private final String cipher;

  AdminAlgorithm(int id, int keyLength, int blockLength, String cipher) {
    this.id = id;
    this.keyLength = keyLength;
    this.blockLength = blockLength;
    this.cipher = cipher;
  }

  public int id() {
    return id;
  }

  public int keyLength() {
    return keyLength;
  }

  /** The challenge's length: one block. */
  public int blockLength() {
    return blockLength;
  }

  /** The JCA cipher name, used in ECB without padding on one block. */
  public String cipher() {
    return cipher;
  }
}
