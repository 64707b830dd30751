package io.tokenroll.pkcs11.conformance;

import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.util.Set;

class SoftHsm2ConformanceTest extends TokenConformanceTest {
  @Override
  protected TestToken newToken() {
    return SoftHsm2.get().newToken("conformance");
  }

  @Override
  protected Set<KeySpec> expectedKeySpecs() {
    return Set.of(KeySpec.rsa(2048), KeySpec.rsa(3072), KeySpec.rsa(4096), KeySpec.parse("EC-P256"),
        KeySpec.parse("EC-P384"));
  }
}
