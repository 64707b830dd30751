package io.tokenroll.cmserver.mimcm;

import java.util.List;

/**
 * One certificate of a profile template: the CA template it is issued under and how its key is made. A client-key
 * entry becomes one CertificateRequestGenerationOptions item (the client sends one CSR for it); a server-generated
 * entry has none and comes back as a PFX item protected by the request's {@code pfxpassword}.
 *
 * @param keyAlgorithmName WinRT name: {@code RSA}, {@code ECDSA_P256}, {@code ECDSA_P384}
 * @param hashAlgorithmName {@code SHA1}, {@code SHA256} …, the hash the CSR must be signed with
 * @param keyUsages WinRT EnrollKeyUsages flags
 * @param archiveKey keep a server-generated key so later enrollments return it as a key-history item
 */
public record CertificateEntry(String caTemplate, String friendlyName, String subject, String keyAlgorithmName,
    int keySize, String hashAlgorithmName, List<String> keyStorageProviderNames, int exportable,
    int keyProtectionLevel, int keyUsages, boolean serverGenerated, boolean archiveKey,
    boolean useLocalMachineStore) {

  public CertificateEntry {
    if (caTemplate == null || keyAlgorithmName == null || hashAlgorithmName == null || keySize <= 0) {
      throw new IllegalArgumentException("a certificate entry needs caTemplate, keyAlgorithmName, keySize and "
          + "hashAlgorithmName");
    }
    friendlyName = friendlyName == null ? "" : friendlyName;
    subject = subject == null ? "" : subject;
    keyStorageProviderNames = keyStorageProviderNames == null ? List.of() : List.copyOf(keyStorageProviderNames);
  }

  /** A client-generated key entry with the usual smart card KSP. */
  public static CertificateEntry clientKey(String caTemplate, String friendlyName, String algorithm, int size,
      String hash, int keyUsages) {
    return new CertificateEntry(caTemplate, friendlyName, "", algorithm, size, hash,
        List.of("Microsoft Smart Card Key Storage Provider"), 0, 0, keyUsages, false, false, false);
  }

  /** {@code RSA} or {@code EC}: the JCA family of {@link #keyAlgorithmName}. */
  public String keyFamily() {
    String name = keyAlgorithmName.toUpperCase(java.util.Locale.ROOT);
    return name.startsWith("ECDSA") || name.startsWith("ECDH") ? "EC" : "RSA";
  }
}
