package io.tokenroll.cmserver.ca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A CMC Full PKI Response as built, with the facts GetFullResponseProperty reads from it (one CMCStatusInfo).
 *
 * @param encoded the DER ContentInfo (SignedData, eContentType id-cct-PKIResponse)
 * @param status CMC status: success, pending or failed
 * @param otherInfoChoice CMC_OTHER_INFO_NO_CHOICE, _FAIL_CHOICE or _PEND_CHOICE
 * @param issuedCertificateHash SHA-1 of the issued leaf (szOID_ISSUED_CERT_HASH), or null
 * @param issued the issued leaf (DER), or null
 */
public record FullResponse(byte[] encoded, int status, String statusString, int otherInfoChoice, int failInfo,
    byte[] pendToken, Instant pendTime, byte[] issuedCertificateHash, byte[] issued,
    List<X509Certificate> chain) {
}
