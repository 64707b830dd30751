package io.tokenroll.pkcs11.piv;

import io.tokenroll.pkcs11.KeyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A PIV key slot (SP 800-73-4 Part 1, Table 4b) with the data object that holds its certificate and the key id
 * PKCS#11 software gives it: OpenSC's PIV driver and YubiKey's YKCS11 both number the slots 01 (9A), 02 (9C), 03 (9D),
 * 04 (9E) and 05–18 (the retired key-management slots 82–95). tokenroll uses the same ids, so {@code pkcs11-tool --id 02}
 * and tokenroll name the same key.
 *
 * @param key the key reference in GENERATE and GENERAL AUTHENTICATE
 * @param object the certificate's data object tag (5FC1xx)
 */
public record PivSlot(int key, int object, KeyId id, String name) {
  public static final PivSlot AUTHENTICATION = new PivSlot(0x9A, 0x5FC105, 1, "PIV Authentication");
  public static final PivSlot SIGNATURE = new PivSlot(0x9C, 0x5FC10A, 2, "Digital Signature");
  public static final PivSlot KEY_MANAGEMENT = new PivSlot(0x9D, 0x5FC10B, 3, "Key Management");
  public static final PivSlot CARD_AUTHENTICATION = new PivSlot(0x9E, 0x5FC101, 4, "Card Authentication");
  /** 9A, 9C, 9D, 9E, then the twenty retired key-management slots 82–95. */
  public static final List<PivSlot> ALL;

  static {
    List<PivSlot> all = new ArrayList<>(List.of(AUTHENTICATION, SIGNATURE, KEY_MANAGEMENT, CARD_AUTHENTICATION));
    for (int i = 0; i < 20; i++) {
      all.add(new PivSlot(0x82 + i, 0x5FC10D + i, 5 + i, "Retired Key Management " + (i + 1)));
    }
    ALL = List.copyOf(all);
  }

  private PivSlot(int key, int object, int id, String name) {
    this(key, object, KeyId.of(new byte[] {(byte) id}), name);
  }

  public static Optional<PivSlot> byId(KeyId id) {
    return ALL.stream().filter(s -> s.id.equals(id)).findFirst();
  }

  public static List<KeyId> ids() {
    return ALL.stream().map(PivSlot::id).toList();
  }

  public boolean retired() {
    return key >= 0x82 && key <= 0x95;
  }

  /** "9A (PIV Authentication)" */
  public String describe() {
    return String.format("%02X (%s)", key, name);
  }
}
