package io.tokenroll.protocol.mimcm;

/** How a template sets a card's first user PIN (FIM SDK UserPinOption, in declaration order). */
public enum UserPinOption implements MimEnum {
  NONE(0), USER_PROVIDED(1), SERVER_DISTRIBUTED(2), RANDOMIZED(3), CUSTOM_SERVER_DISTRIBUTED(4);

  private final int code;

  UserPinOption(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** Whether the server proposes the PIN (GET …/serverproposedpin). */
  public boolean serverProposed() {
    return this == SERVER_DISTRIBUTED || this == RANDOMIZED || this == CUSTOM_SERVER_DISTRIBUTED;
  }
}
