package io.tokenroll.pkcs11.testing;

import io.tokenroll.pkcs11.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/** Checks a token's signature with the JDK's own verifier: the independent judge of every signing test. */
public final class JdkSignatures {
  private JdkSignatures() {
  }

  public static boolean verifies(SignatureAlgorithm alg, PublicKey key, byte[] data, byte[] signature)
      throws GeneralSecurityException {
    boolean pss = alg.padding() == SignatureAlgorithm.Padding.PSS;
    Signature verify = Signature.getInstance(pss ? "RSASSA-PSS" : alg.jcaName());
    if (pss) { // MGF1 with the same hash, salt as long as the hash: what the token was asked for
      verify.setParameter(new PSSParameterSpec(alg.digest(), "MGF1", new MGF1ParameterSpec(alg.digest()),
          alg.digestLength(), 1));
    }
    verify.initVerify(key);
    verify.update(data);
    return verify.verify(signature);
  }
}
