package io.tokenroll.agent.enroll;

import io.tokenroll.agent.mimcm.Models.GenerationOption;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenInfo;
import java.util.List;
import java.util.Map;

/**
 * MIM names where each key must live by Windows key storage provider ({@code KeyStorageProviderNames}, tried in
 * order). On PKCS#11 the configuration says which token a KSP name stands for ({@code --ksp NAME=<pkcs11 uri>}).
 * An enrollment writes to the one card it bound to the request, so a key the server wants in a KSP mapped to
 * another token is refused before anything is generated; unmapped names go to the enrollment's token.
 */
final class KspMap {
  private KspMap() {
  }

  /** Checks one option against the map; returns a note for the user, or null. */
  static String check(GenerationOption option, int index, Map<String, String> map, TokenInfo token)
      throws EnrollmentException {
    List<String> names = option.keyStorageProviderNames() == null ? List.of() : option.keyStorageProviderNames();
    for (String name : names) {
      String uri = map.get(name);
      if (uri == null) {
        continue;
      }
      if (!Pkcs11Uri.parse(uri).matches(token)) {
        throw new EnrollmentException("request " + (index + 1) + " wants its key in '" + name + "', which is "
            + "mapped to " + uri + ", but this enrollment's card is " + token.describe()
            + "; enroll that token separately");
      }
      return null; // the first mapped name wins, as Windows tries the list in order
    }
    return names.isEmpty() || map.isEmpty() ? null : "request " + (index + 1) + " names " + names
        + ", none of them mapped with --ksp; the key goes to " + token.describe();
  }
}
