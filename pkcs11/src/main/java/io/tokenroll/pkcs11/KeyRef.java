package io.tokenroll.pkcs11;

import java.util.Objects;

/** Names a key pair on a token: its CKA_ID and the CKA_LABEL it was created with (may be null). */
public record KeyRef(KeyId id, String label) {
  public KeyRef {
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String toString() {
    return label == null ? "id=" + id : "id=" + id + " label='" + label + "'";
  }
}
