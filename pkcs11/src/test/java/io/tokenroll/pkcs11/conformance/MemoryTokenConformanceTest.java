package io.tokenroll.pkcs11.conformance;

import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.MemoryToken;
import io.tokenroll.pkcs11.testing.TestToken;
import java.util.Set;

/** The in-memory token as a PKCS#11 token behaves: any id, deletion, CA certificates, key import. */
class MemoryTokenConformanceTest extends TokenConformanceTest {
  @Override
  protected TestToken newToken() {
    return MemoryToken.create("memory", MemoryToken.Mode.FREE, Backends.privateDirectory("tokenroll-memory-"));
  }

  @Override
  protected Set<KeySpec> expectedKeySpecs() {
    return Set.of(KeySpec.rsa(2048), KeySpec.rsa(3072), KeySpec.rsa(4096), KeySpec.parse("EC-P256"),
        KeySpec.parse("EC-P384"));
  }
}
