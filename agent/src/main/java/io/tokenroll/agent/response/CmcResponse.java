package io.tokenroll.agent.response;

import io.tokenroll.protocol.certsrv.CmcStatus;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A decoded PKCS#7 answer: a CMC Full PKI Response (what MIM CM and AD CS return) or a certs-only SignedData.
 *
 * @param full whether it is a CMC PKIResponse (otherwise a plain PKCS#7 with no status)
 * @param status the CMCStatusInfo status (0 = success), null for a plain PKCS#7
 * @param statusString the status text, e.g. "Issued"
 * @param failInfo the CMCFailInfo when the status is failed, else null
 * @param issuedCertificateHashes SHA-1 hashes from szOID_ISSUED_CERT_HASH attributes
 * @param certificates every certificate of the SignedData, in the order given
 * @param signer the certificate that signed the response, null for certs-only
 */
public record CmcResponse(boolean full, Integer status, String statusString, Integer failInfo,
                          List<byte[]> issuedCertificateHashes, List<X509Certificate> certificates,
                          X509Certificate signer) {

  public boolean succeeded() {
    return !full || status != null && status == CmcStatus.SUCCESS;
  }

  public String describeStatus() {
    if (!full) {
      return "plain PKCS#7 (no CMC status)";
    }
    return CmcStatus.name(status == null ? -1 : status) + (statusString == null ? "" : " \"" + statusString + "\"")
        + (failInfo == null ? "" : ", failInfo " + failInfo);
  }
}
