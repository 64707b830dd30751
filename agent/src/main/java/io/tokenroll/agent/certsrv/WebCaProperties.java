package io.tokenroll.agent.certsrv;

import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Encodings;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.PropType;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * GetCAProperty over web enrollment: the properties its pages can answer — the CA certificate count
 * (certcarc.asp's nRenewals + 1), CA certificates and chains by index, base and delta CRLs, the states of both
 * (derived from validity and the CRL's signature: revocation of a CA certificate is not visible here), and the CA
 * name from the home page. Everything else needs the CA's DCOM interface and is E_NOTIMPL.
 */
final class WebCaProperties {
  private WebCaProperties() {
  }

  static CaProperty property(int propId) throws CertSrvException {
    try {
      return CaProperty.fromId(propId);
    } catch (IllegalArgumentException e) {
      throw new CertSrvException(HResult.E_INVALIDARG, "unknown CA property id " + propId);
    }
  }

  static Object read(WebEnrollment site, int propId, int index, int propType, int flags) throws CertSrvException {
    CaProperty p = property(propId);
    if (p.type() != propType) {
      throw new CertSrvException(HResult.E_INVALIDARG, "CR_PROP_" + p + " is of type " + typeName(p.type())
          + ", not " + typeName(propType));
    }
    if (p.indexed() ? index < -1 : index != 0) {
      throw new CertSrvException(HResult.E_INVALIDARG, "CR_PROP_" + p + " has no index " + index);
    }
    return switch (p) {
      case CASIGCERTCOUNT -> site.renewals() + 1;
      case CASIGCERT -> Encodings.encode(WebEnrollment.der(site.caCertificate(renewal(site, index))), flags);
      case CASIGCERTCHAIN -> Encodings.encode(WebEnrollment.der(site.caChain(renewal(site, index))), flags);
      case BASECRL, DELTACRL -> Encodings.encodeCrl(WebEnrollment.der(site.crl(renewal(site, index),
          p == CaProperty.DELTACRL)), flags);
      case CACERTSTATE -> caCertificateState(site.caCertificate(renewal(site, index)));
      case CRLSTATE -> crlState(site, renewal(site, index));
      case CANAME -> site.caName();
      default -> throw new CertSrvException(HResult.E_NOTIMPL, "CR_PROP_" + p + " is not available over web "
          + "enrollment (/certsrv has no page for it)");
    };
  }

  /** PropIndex -1 means the current CA certificate, as for ICertAdmin2. */
  private static int renewal(WebEnrollment site, int index) throws CertSrvException {
    return index == -1 ? site.renewals() : index;
  }

  private static int caCertificateState(X509Certificate ca) {
    try {
      ca.checkValidity();
      return PropType.CA_DISP_VALID;
    } catch (java.security.cert.CertificateException e) {
      return PropType.CA_DISP_INVALID; // expired or not yet valid
    }
  }

  /** VALID when the CRL is signed by CA certificate k and not past its next update; INVALID when expired. */
  private static int crlState(WebEnrollment site, int renewal) throws CertSrvException {
    X509CRL crl = site.crl(renewal, false);
    X509Certificate ca = site.caCertificate(renewal);
    try {
      crl.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA, "the base CRL of CA certificate " + renewal
          + " is not signed by that certificate's key; refused", e);
    }
    Date next = crl.getNextUpdate();
    return next != null && next.before(new Date()) ? PropType.CA_DISP_INVALID : PropType.CA_DISP_VALID;
  }

  static String typeName(int type) {
    return switch (type) {
      case PropType.PROPTYPE_LONG -> "PROPTYPE_LONG";
      case PropType.PROPTYPE_DATE -> "PROPTYPE_DATE";
      case PropType.PROPTYPE_BINARY -> "PROPTYPE_BINARY";
      case PropType.PROPTYPE_STRING -> "PROPTYPE_STRING";
      default -> "type " + type;
    };
  }
}
