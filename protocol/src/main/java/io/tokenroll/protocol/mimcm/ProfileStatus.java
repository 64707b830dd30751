package io.tokenroll.protocol.mimcm;

/**
 * Status of a software profile (Microsoft.Clm.Shared.Profiles). MIM's examples show only Active=2; the other
 * numbers are tokenroll's choice in the same declaration-order style as SmartcardStatus. See docs/cmserver.md.
 */
public enum ProfileStatus implements MimEnum {
  NONE(0), ASSIGNED(1), ACTIVE(2), SUSPENDED(3), DISABLED(4), RETIRED(5);

  private final int code;

  ProfileStatus(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }
}
