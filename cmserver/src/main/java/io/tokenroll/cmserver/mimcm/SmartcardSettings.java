package io.tokenroll.cmserver.mimcm;

import io.tokenroll.protocol.mimcm.UserPinOption;
import java.util.HexFormat;

/**
 * A smart card template's card configuration (the FIM SDK SmartcardConfig members the walkthrough uses): the
 * initial 24-byte 3DES admin key, whether the server diversifies it per card, and how the user PIN is set.
 */
public record SmartcardSettings(String defaultAdminKeyHex, boolean diversifyAdminKey, UserPinOption userPinOption,
    int maxNumberOfCertificates) {

  /** The admin key TpmVscMgr calls "default" and MIM's documentation uses. */
  public static final String DEFAULT_ADMIN_KEY = "010203040506070801020304050607080102030405060708";

  public SmartcardSettings {
    defaultAdminKeyHex = defaultAdminKeyHex == null ? DEFAULT_ADMIN_KEY : defaultAdminKeyHex;
    userPinOption = userPinOption == null ? UserPinOption.USER_PROVIDED : userPinOption;
    if (HexFormat.of().parseHex(defaultAdminKeyHex).length != 24) {
      throw new IllegalArgumentException("defaultAdminKeyHex must be 24 bytes (a 3-key 3DES key)");
    }
  }

  public static SmartcardSettings standard() {
    return new SmartcardSettings(DEFAULT_ADMIN_KEY, false, UserPinOption.USER_PROVIDED, 0);
  }

  public byte[] defaultAdminKey() {
    return HexFormat.of().parseHex(defaultAdminKeyHex);
  }
}
