package io.tokenroll.cmserver.mimcm;

import io.tokenroll.cmserver.ca.CsrSignatures;
import io.tokenroll.cmserver.ca.Keys;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.protocol.certsrv.Encodings;
import java.security.PublicKey;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks one CSR of a certificatedata call against its generation-options entry before anything reaches the CA:
 * base64 that decodes, a PKCS#10 whose signature verifies, and exactly the key algorithm, key size and hash the
 * entry asked for. Any failure is the client's error (400) with a message naming the entry.
 */
final class CsrCheck {
  private static final Map<String, String> HASH_OIDS = Map.of(
      "1.3.14.3.2.26", "SHA1", "2.16.840.1.101.3.4.2.1", "SHA256", "2.16.840.1.101.3.4.2.2", "SHA384",
      "2.16.840.1.101.3.4.2.3", "SHA512");

  private CsrCheck() {
  }

  /** The DER of a valid CSR that matches {@code entry}. */
  static byte[] verified(String base64, CertificateEntry entry, int index) {
    String which = "Certificate request " + index + " (" + entry.caTemplate() + ")";
    byte[] der;
    try {
      der = Encodings.base64(base64);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(which + " is not valid base64.");
    }
    JcaPKCS10CertificationRequest csr;
    PublicKey key;
    try {
      csr = new JcaPKCS10CertificationRequest(der);
      key = csr.getPublicKey();
    } catch (Exception e) {
      throw HttpError.badRequest(which + " is not a PKCS#10 certificate request.");
    }
    try {
      if (!CsrSignatures.valid(csr, key)) {
        throw HttpError.badRequest(which + ": the signature does not verify.");
      }
    } catch (HttpError e) {
      throw e;
    } catch (Exception e) {
      throw HttpError.badRequest(which + ": the signature cannot be verified.");
    }
    String family = Keys.algorithm(key);
    if (!family.equals(entry.keyFamily()) || Keys.size(key) != entry.keySize()) {
      throw HttpError.badRequest(which + ": the key is " + family + " " + Keys.size(key) + " but the generation "
          + "options ask for " + entry.keyAlgorithmName() + " " + entry.keySize() + ".");
    }
    String hash = hashOf(csr.getSignatureAlgorithm());
    String wanted = entry.hashAlgorithmName().toUpperCase(Locale.ROOT).replace("-", "");
    if (!wanted.equals(hash)) {
      throw HttpError.badRequest(which + ": the request is signed with " + hash + " but the generation options ask "
          + "for " + entry.hashAlgorithmName() + ".");
    }
    return der;
  }

  private static String hashOf(AlgorithmIdentifier signatureAlgorithm) {
    try {
      AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
      return HASH_OIDS.getOrDefault(digest.getAlgorithm().getId(), digest.getAlgorithm().getId());
    } catch (RuntimeException e) {
      return signatureAlgorithm.getAlgorithm().getId();
    }
  }
}
