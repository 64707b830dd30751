package io.tokenroll.pkcs11.conformance;

import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.MemoryToken;
import io.tokenroll.pkcs11.testing.TestToken;
import java.util.Set;

/**
 * The in-memory token as a PIV card behaves: keys in fixed slots, overwritten and never deleted, no CA
 * certificates, no key import, no exportable keys.
 */
class MemorySlotTokenConformanceTest extends TokenConformanceTest {
  @Override
  protected TestToken newToken() {
    return MemoryToken.create("slots", MemoryToken.Mode.SLOTS, Backends.privateDirectory("tokenroll-memory-"));
  }

  @Override
  protected Set<KeySpec> expectedKeySpecs() {
    return Set.of(KeySpec.rsa(2048), KeySpec.parse("EC-P256"), KeySpec.parse("EC-P384"));
  }
}
