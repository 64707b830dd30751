package io.tokenroll.cmserver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.UUID;

/**
 * A user cmserver knows: the login name (HTTP Basic, and the requester name in the CA database), the password, and
 * the UPN the CA writes into certificates. A TLS client certificate whose UPN SAN equals {@code upn}, or whose CN
 * equals {@code name}, authenticates as this user too. A null password means "generate one": the server makes it
 * at first start and keeps it in the state directory's credentials file.
 */
public record UserAccount(String name, String password, String upn) {
  public UserAccount {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a user needs a name");
    }
    if (password != null && password.isEmpty()) {
      throw new IllegalArgumentException("user " + name + ": an empty password is not allowed");
    }
    upn = upn == null || upn.isBlank() ? name + "@example.test" : upn;
  }

  /** The user's stable GUID (OriginatorUserUuid, TargetUserUuid, AssignedUserUuid). */
  public UUID uuid() {
    return UUID.nameUUIDFromBytes(("tokenroll-user:" + name.toLowerCase(Locale.ROOT))
        .getBytes(StandardCharsets.UTF_8));
  }

  public UserAccount withPassword(String newPassword) {
    return new UserAccount(name, newPassword, upn);
  }

  /** Compares in constant time. */
  public boolean passwordMatches(String candidate) {
    return candidate != null && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
        candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "UserAccount[name=" + name + ", upn=" + upn + "]";
  }
}
