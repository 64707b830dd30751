package io.tokenroll.pkcs11.pin;

/** Why a PIN is asked for; prompts say it, sources may answer differently (e.g. a separate SO PIN file). */
public enum PinPurpose {
  USER("user PIN"),
  SECURITY_OFFICER("security officer (SO) PIN"),
  CONTEXT_SPECIFIC("PIN to authorise this signature"),
  NEW_USER("new user PIN");

  private final String description;

  PinPurpose(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
