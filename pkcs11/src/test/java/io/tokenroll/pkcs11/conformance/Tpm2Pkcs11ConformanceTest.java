package io.tokenroll.pkcs11.conformance;

import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.testing.TestToken;
import io.tokenroll.pkcs11.testing.Tpm2Pkcs11;
import java.util.Set;

class Tpm2Pkcs11ConformanceTest extends TokenConformanceTest {
  @Override
  protected TestToken newToken() {
    return Tpm2Pkcs11.get().newToken("conformance");
  }

  @Override
  protected Set<KeySpec> expectedKeySpecs() {
    return Set.of(KeySpec.rsa(2048), KeySpec.rsa(3072), KeySpec.parse("EC-P256"));
  }
}
