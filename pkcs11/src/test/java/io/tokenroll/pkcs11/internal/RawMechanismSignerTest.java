package io.tokenroll.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.testing.JdkSignatures;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import org.junit.jupiter.api.Test;

/**
 * The signer's path for tokens without combined mechanisms (many smart cards offer only CKM_RSA_PKCS,
 * CKM_RSA_PKCS_PSS and CKM_ECDSA): the digest made on the host, a DigestInfo built for PKCS#1 v1.5, PSS parameters
 * for the raw PSS mechanism. Every backend here offers the combined RSA mechanisms, so the signer is made with the
 * raw mechanism forced, on a real SoftHSM2 key, and each signature is checked by the JDK.
 */
class RawMechanismSignerTest {
  @Test
  void everyScheme_signedWithTheRawMechanismOverAHostDigest_verifiesWithTheJdk() throws Exception {
    TestToken token = SoftHsm2.get().newToken("raw-mech");
    byte[] data = "signed with a raw mechanism".getBytes();
    try (TokenSession ts = token.open()) {
      WrapperSession session = (WrapperSession) ts;
      GeneratedKey rsa = session.generateKeyPair(KeyTemplate.signing(KeySpec.rsa(2048), "raw rsa"));
      GeneratedKey ec = session.generateKeyPair(KeyTemplate.signing(KeySpec.parse("EC-P384"), "raw ec"));
      for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
        GeneratedKey key = alg.keyType() == KeySpec.Type.RSA ? rsa : ec;
        long handle = session.withSession("finding the key", s -> TokenObjects.find(s,
            new ObjectQuery(ObjectClass.PRIVATE_KEY, key.ref().id(), null))[0]);
        WrapperSigner signer = new WrapperSigner(session, handle, key.ref(), key.publicKey(), alg, false, false);
        assertTrue(JdkSignatures.verifies(alg, key.publicKey(), data, signer.sign(data)),
            alg + " over the raw mechanism verifies");
      }
    }
  }
}
