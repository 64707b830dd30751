package io.tokenroll.cmserver.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Whether a PKCS#10 request's signature verifies under its own key, with the answer of BouncyCastle's
 * {@code isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))}. For RSA PKCS#1 v1.5 that verifier
 * also runs a second, raw RSA verification whose result it discards (it frees PKCS#11 sessions); its answer is
 * the JCA Signature's over the DER CertificationRequestInfo, which is what is done here, once. Every other
 * algorithm goes to BouncyCastle's verifier.
 */
public final class CsrSignatures {
  private static final Map<ASN1ObjectIdentifier, String> RSA_PKCS1 = Map.of(
      PKCSObjectIdentifiers.sha1WithRSAEncryption, "SHA1WITHRSA",
      PKCSObjectIdentifiers.sha224WithRSAEncryption, "SHA224WITHRSA",
      PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256WITHRSA",
      PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384WITHRSA",
      PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512WITHRSA");

  private CsrSignatures() {
  }

  /**
   * True when the signature verifies, false when it does not; throws when it cannot be checked at all (a signature
   * of the wrong length, an unknown algorithm), as BouncyCastle's verifier does.
   */
  public static boolean valid(PKCS10CertificationRequest csr, PublicKey key)
      throws GeneralSecurityException, OperatorCreationException, PKCSException {
    String rsa = RSA_PKCS1.get(csr.getSignatureAlgorithm().getAlgorithm());
    if (rsa == null || !(key instanceof RSAPublicKey)) {
      return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    }
    Signature s = Signature.getInstance(rsa);
    s.initVerify(key);
    try {
      s.update(csr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new PKCSException("unable to process signature: " + e.getMessage(), e);
    }
    return s.verify(csr.getSignature());
  }
}
