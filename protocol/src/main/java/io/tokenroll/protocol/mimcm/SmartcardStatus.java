package io.tokenroll.protocol.mimcm;

/** Microsoft.Clm.Shared.Smartcards.SmartcardStatus in declaration order, which fits MIM's observed 2, 3 and 6. */
public enum SmartcardStatus implements MimEnum {
  NONE(0), NEW(1), ASSIGNED(2), ACTIVE(3), SUSPENDED(4), DISABLED(5), RETIRED(6);

  private final int code;

  SmartcardStatus(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  public String wireName() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
