package io.tokenroll.cmserver.ca;

import java.util.Locale;

/**
 * How the CA is made on first start: names, key algorithm and size, and the signature hash.
 *
 * @param caName the issuing CA's common name, also the CAName half of the {@code host\CAName} config string
 * @param rootName the root CA's common name
 * @param keyAlgorithm {@code RSA} or {@code EC}
 * @param keySize RSA modulus bits, or the EC curve size (256 = P-256, 384 = P-384)
 * @param hashAlgorithm {@code SHA256}, {@code SHA384} or {@code SHA512}
 * @param hostName the DNS name of the CA host, the other half of the config string
 */
public record CaSettings(String caName, String rootName, String keyAlgorithm, int keySize, String hashAlgorithm,
    String hostName) {

  public CaSettings {
    keyAlgorithm = keyAlgorithm.toUpperCase(Locale.ROOT);
    hashAlgorithm = hashAlgorithm.toUpperCase(Locale.ROOT).replace("-", "");
    if (!keyAlgorithm.equals("RSA") && !keyAlgorithm.equals("EC")) {
      throw new IllegalArgumentException("CA keyAlgorithm must be RSA or EC, not " + keyAlgorithm);
    }
  }

  public static CaSettings defaults() {
    return new CaSettings("tokenroll Test Issuing CA", "tokenroll Test Root CA", "RSA", 2048, "SHA256", "localhost");
  }

  /** The JCA signature algorithm the CA signs with, e.g. {@code SHA256withRSA}. */
  public String signatureAlgorithm() {
    return hashAlgorithm + "with" + (keyAlgorithm.equals("RSA") ? "RSA" : "ECDSA");
  }

  /** ICertRequest's strConfig: {@code <host>\<CA name>}. */
  public String config() {
    return hostName + "\\" + caName;
  }

  public CaSettings withHostName(String host) {
    return new CaSettings(caName, rootName, keyAlgorithm, keySize, hashAlgorithm, host);
  }
}
