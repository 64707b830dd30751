package io.tokenroll.pkcs11.conformance;

import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.testing.NssSoftoken;
import io.tokenroll.pkcs11.testing.TestToken;
import java.util.Set;

class NssSoftokenConformanceTest extends TokenConformanceTest {
  @Override
  protected TestToken newToken() {
    return NssSoftoken.get().token();
  }

  @Override
  protected Set<KeySpec> expectedKeySpecs() {
    return Set.of(KeySpec.rsa(2048), KeySpec.rsa(3072), KeySpec.parse("EC-P256"), KeySpec.parse("EC-P384"));
  }
}
