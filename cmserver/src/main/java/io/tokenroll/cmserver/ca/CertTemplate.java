package io.tokenroll.cmserver.ca;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CA certificate template, the AD CS kind: what the CA puts in a certificate issued under it and when it refuses.
 *
 * @param commonName the template name requests carry in {@code CertificateTemplate:<name>}
 * @param oid the template OID, written into the szOID_CERTIFICATE_TEMPLATE extension
 * @param extendedKeyUsages EKU OIDs, or the names {@code smartcardLogon}, {@code clientAuth}, {@code serverAuth},
 *     {@code emailProtection}, {@code efs}, {@code codeSigning}
 * @param keyUsages key usage names as in RFC 5280 ({@code digitalSignature}, {@code keyEncipherment} …); for EC keys
 *     {@code keyEncipherment} becomes {@code keyAgreement}
 * @param validityDays certificate lifetime
 * @param minimumKeySize RSA modulus bits; EC keys need a curve of at least 256 bits whatever this says
 * @param keyAlgorithms allowed public key algorithms, {@code RSA} and/or {@code EC}
 * @param issuance issue, pend for CA-manager approval, or deny
 * @param denyStatus the HRESULT a DENY template refuses with
 * @param subjectFromRequest take subject and SANs from the CSR (web server style) instead of the requester identity
 */
public record CertTemplate(String commonName, String oid, List<String> extendedKeyUsages, List<String> keyUsages,
    int validityDays, int minimumKeySize, List<String> keyAlgorithms, Issuance issuance,
    @JsonDeserialize(using = HResultJson.class) int denyStatus, boolean subjectFromRequest) {

  private static final Map<String, String> EKU_NAMES = Map.of(
      "smartcardlogon", "1.3.6.1.4.1.311.20.2.2", "clientauth", "1.3.6.1.5.5.7.3.2",
      "serverauth", "1.3.6.1.5.5.7.3.1", "emailprotection", "1.3.6.1.5.5.7.3.4",
      "efs", "1.3.6.1.4.1.311.10.3.4", "codesigning", "1.3.6.1.5.5.7.3.3");

  public CertTemplate {
    if (commonName == null || commonName.isBlank() || oid == null) {
      throw new IllegalArgumentException("a certificate template needs commonName and oid");
    }
    extendedKeyUsages = extendedKeyUsages == null ? List.of() : extendedKeyUsages.stream()
        .map(e -> EKU_NAMES.getOrDefault(e.toLowerCase(Locale.ROOT), e)).toList();
    keyUsages = keyUsages == null ? List.of() : List.copyOf(keyUsages);
    keyAlgorithms = keyAlgorithms == null ? List.of("RSA", "EC")
        : keyAlgorithms.stream().map(a -> a.toUpperCase(Locale.ROOT)).toList();
    issuance = issuance == null ? Issuance.ISSUE : issuance;
    if (validityDays <= 0) {
      throw new IllegalArgumentException("template " + commonName + ": validityDays must be positive");
    }
  }

  public boolean allows(String keyAlgorithm) {
    return keyAlgorithms.contains(keyAlgorithm.toUpperCase(Locale.ROOT));
  }
}
