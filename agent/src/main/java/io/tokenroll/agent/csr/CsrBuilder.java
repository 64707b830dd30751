package io.tokenroll.agent.csr;

import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyUsage;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSigner;
import io.tokenroll.pkcs11.bc.TokenContentSigner;
import java.io.IOException;
import java.security.PublicKey;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Builds PKCS#10 requests signed on the token. The request carries a subject key identifier extension equal to
 * the key's SHA-1 key id (harmless for the CA — MIM's own client sends one too) and, when asked, a key usage
 * extension. Every request is verified against its own public key before it is returned.
 */
public final class CsrBuilder {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private CsrBuilder() {
  }

  public static PKCS10CertificationRequest build(TokenSigner signer, CsrRequest request) throws TokenException {
    PublicKey publicKey = signer.publicKey();
    var builder = new PKCS10CertificationRequestBuilder(request.subject(),
        SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
    try {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.subjectKeyIdentifier, false,
          new DEROctetString(KeyId.subjectKeyIdOf(publicKey).toByteArray()));
      if (!request.usages().isEmpty()) {
        extensions.addExtension(Extension.keyUsage, true, keyUsage(request, publicKey));
      }
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode CSR extensions", e);
    }
    PKCS10CertificationRequest csr;
    try {
      csr = builder.build(new TokenContentSigner(signer));
    } catch (RuntimeOperatorException e) {
      if (e.getCause() instanceof TokenException te) {
        throw te;
      }
      throw e;
    }
    verify(csr);
    return csr;
  }

  private static org.bouncycastle.asn1.x509.KeyUsage keyUsage(CsrRequest request, PublicKey key) {
    int bits = 0;
    if (request.usages().contains(KeyUsage.SIGN)) {
      bits |= org.bouncycastle.asn1.x509.KeyUsage.digitalSignature;
    }
    if (request.usages().contains(KeyUsage.DECRYPT)) {
      bits |= org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment;
    }
    if (request.usages().contains(KeyUsage.KEY_AGREEMENT) || (request.usages().contains(KeyUsage.DECRYPT)
        && key.getAlgorithm().equals("EC"))) {
      bits |= org.bouncycastle.asn1.x509.KeyUsage.keyAgreement;
    }
    return new org.bouncycastle.asn1.x509.KeyUsage(bits);
  }

  /**
   * Checks the signature with the request's own key: a token that signed wrongly must not reach the CA. RSA keys go
   * to the JDK's provider: BouncyCastle validates every RSA modulus it is handed with Miller-Rabin rounds (40 ms
   * for RSA-2048, profiled in a provisioning run), a check meant for keys from outside, not for the key the token
   * made a moment ago.
   */
  public static void verify(PKCS10CertificationRequest csr) throws TokenException {
    try {
      // PKCS#1 v1.5 only: the JDK's providers without PKCS#11 name no RSASSA-PSS verifier BouncyCastle would find
      boolean rsa = org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption.equals(
          csr.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm())
          && !org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_RSASSA_PSS.equals(
              csr.getSignatureAlgorithm().getAlgorithm());
      var verifiers = rsa ? new JcaContentVerifierProviderBuilder().build(java.security.KeyFactory.getInstance("RSA")
          .generatePublic(new java.security.spec.X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded())))
          : new JcaContentVerifierProviderBuilder().setProvider(BC).build(csr.getSubjectPublicKeyInfo());
      if (!csr.isSignatureValid(verifiers)) {
        throw new TokenException("the token produced a CSR whose signature does not verify");
      }
    } catch (OperatorCreationException | PKCSException | java.io.IOException
             | java.security.GeneralSecurityException e) {
      throw new TokenException("cannot verify the CSR signature: " + e.getMessage(), null, e);
    }
  }
}
