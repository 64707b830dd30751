package io.tokenroll.agent.csr;

import io.tokenroll.agent.encoding.SignatureCheck;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Builds PKCS#10 requests signed on the token. The request carries a subject key identifier extension equal to
 * the key's SHA-1 key id (harmless for the CA — MIM's own client sends one too) and, when asked, a key usage
 * extension. Every request is verified against its own public key before it is returned.
 */
public final class CsrBuilder {
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
   * Checks the signature with the request's own key: a token that signed wrongly must not reach the CA. The
   * provider is chosen by {@link SignatureCheck}.
   */
  public static void verify(PKCS10CertificationRequest csr) throws TokenException {
    try {
      var verifiers = SignatureCheck.verifiers(csr.getSignatureAlgorithm().getAlgorithm(),
          csr.getSubjectPublicKeyInfo());
      if (!csr.isSignatureValid(verifiers)) {
        throw new TokenException("the token produced a CSR whose signature does not verify");
      }
    } catch (OperatorCreationException | PKCSException | RuntimeOperatorException e) {
      throw new TokenException("cannot verify the CSR signature: " + e.getMessage(), null, e);
    }
  }
}
