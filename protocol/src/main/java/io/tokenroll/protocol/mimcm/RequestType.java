package io.tokenroll.protocol.mimcm;

/**
 * Microsoft.Clm.Shared.Requests.RequestType. Documented by example: Enroll=1, Unblock=5; the rest are
 * tokenroll's numbering. {@link #wireName()} is the {@code type} string of POST requests.
 */
public enum RequestType implements MimEnum {
  NONE(0, "None"), ENROLL(1, "Enroll"), DUPLICATE(2, "Duplicate"), RECOVER(3, "Recover"), RENEW(4, "Renew"),
  UNBLOCK(5, "Unblock"), RETIRE(6, "Retire"), REVOKE(7, "Revoke"), OFFLINE_UNBLOCK(8, "OfflineUnblock"),
  ONLINE_UPDATE(9, "OnlineUpdate"), RECOVER_ON_BEHALF(10, "RecoverOnBehalf"), REINSTATE(11, "Reinstate"),
  TEMPORARY_CARDS(12, "TemporaryCards"), DISABLE(13, "Disable");

  private final int code;
  private final String wireName;

  RequestType(int code, String wireName) {
    this.code = code;
    this.wireName = wireName;
  }

  @Override
  public int code() {
    return code;
  }

  public String wireName() {
    return wireName;
  }

  /**
   * Parses the {@code type} of a request or the {@code {type}} of a policy route: the wire names, the integer, and
   * the other spellings MIM's documents use for temporary cards ({@code TemporaryEnroll}, {@code TemporaryCardEnroll}).
   */
  public static RequestType parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    if (t.equalsIgnoreCase("TemporaryEnroll") || t.equalsIgnoreCase("TemporaryCardEnroll")) {
      return TEMPORARY_CARDS;
    }
    for (RequestType r : values()) {
      if (r.wireName.equalsIgnoreCase(t) || String.valueOf(r.code).equals(t)) {
        return r;
      }
    }
    return null;
  }
}
