package io.tokenroll.cmserver.ca;

import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Encodings;
import io.tokenroll.protocol.certsrv.FullResponseProperty;
import io.tokenroll.protocol.certsrv.HResult;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** GetFullResponseProperty over a {@link FullResponse}: one CMCStatusInfo, so every indexed property has index 0. */
final class FullResponseProperties {
  private FullResponseProperties() {
  }

  static Object read(FullResponse r, int propId, int index, int propType, int flags) throws CertSrvException {
    FullResponseProperty p;
    try {
      p = FullResponseProperty.fromId(propId);
    } catch (IllegalArgumentException e) {
      throw new CertSrvException(HResult.E_INVALIDARG, "unknown FR_PROP id " + propId);
    }
    if (p.type() != propType) {
      throw new CertSrvException(HResult.E_INVALIDARG, p + " is not of type " + propType);
    }
    if (index != 0) {
      throw new CertSrvException(HResult.E_INVALIDARG, p + " has no index " + index);
    }
    try {
      Object value = switch (p) {
        case FULLRESPONSE -> Encodings.encode(r.encoded(), flags);
        case STATUSINFOCOUNT -> 1;
        case BODYPARTSTRING -> "1";
        case STATUS -> r.status();
        case STATUSSTRING -> r.statusString();
        case OTHERINFOCHOICE -> r.otherInfoChoice();
        case FAILINFO -> r.otherInfoChoice() == io.tokenroll.protocol.certsrv.CmcStatus.OTHER_INFO_FAIL_CHOICE
            ? r.failInfo() : null;
        case PENDINFOTOKEN -> r.pendToken() == null ? null : Encodings.encode(r.pendToken(), flags);
        case PENDINFOTIME -> r.pendTime();
        case ISSUEDCERTIFICATEHASH -> r.issuedCertificateHash() == null ? null
            : Encodings.encode(r.issuedCertificateHash(), flags);
        case ISSUEDCERTIFICATE -> r.issued() == null ? null : Encodings.encode(r.issued(), flags);
        case ISSUEDCERTIFICATECHAIN -> r.issued() == null ? null : Encodings.encode(chain(r), flags);
        default -> null;
      };
      if (value == null) {
        throw new CertSrvException(HResult.CERTSRV_E_PROPERTY_EMPTY, p + " is empty in this response");
      }
      return value;
    } catch (GeneralSecurityException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot encode " + p, e);
    }
  }

  private static byte[] chain(FullResponse r) throws GeneralSecurityException {
    List<java.security.cert.X509Certificate> certs = new ArrayList<>();
    certs.add(CaHierarchy.certificate(r.issued()));
    certs.addAll(r.chain());
    return CmcResponses.certsOnly(certs, null);
  }
}
