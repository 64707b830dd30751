package io.tokenroll.cmserver.ca;

import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Encodings;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import java.security.GeneralSecurityException;
import java.util.stream.Collectors;

/**
 * GetCAProperty over the CA: the properties AD CS clients read (name, type, signature certificate and chain, CRL
 * and states, DNS name, templates), typed and indexed as ICertAdmin2 documents. One CA certificate, index 0;
 * the exchange certificate is the signature certificate (cmserver has no key archival exchange key).
 */
final class CaProperties {
  private final CertificateAuthority ca;

  CaProperties(CertificateAuthority ca) {
    this.ca = ca;
  }

  Object read(int propId, int index, int propType, int flags) throws CertSrvException {
    CaProperty p = CaSession.property(propId);
    if (p.type() != propType) {
      throw new CertSrvException(HResult.E_INVALIDARG, p + " is not of type " + propType);
    }
    if (p.indexed() ? index != 0 && index != -1 : index != 0) {
      throw new CertSrvException(HResult.E_INVALIDARG, p + " has no index " + index);
    }
    CaHierarchy keys = ca.keys();
    try {
      return switch (p) {
        case CANAME, SANITIZEDCANAME, SANITIZEDCASHORTNAME -> keys.settings().caName();
        case DNSNAME -> keys.settings().hostName();
        case PARENTCA -> keys.settings().rootName();
        case CATYPE -> PropType.ENUM_ENTERPRISE_SUBCA;
        case CASIGCERTCOUNT, CAXCHGCERTCOUNT -> 1;
        case EXITCOUNT, KRACERTCOUNT, KRACERTUSEDCOUNT, ROLESEPARATIONENABLED -> 0;
        case ADVANCEDSERVER -> 1;
        case CAPROPIDMAX -> CaProperty.values()[CaProperty.values().length - 1].id();
        case FILEVERSION, PRODUCTVERSION -> "tokenroll cmserver";
        case POLICYDESCRIPTION -> "tokenroll cmserver template policy";
        case CASIGCERT, CAXCHGCERT -> Encodings.encode(keys.issuing().getEncoded(), flags);
        case CASIGCERTCHAIN, CAXCHGCERTCHAIN -> Encodings.encode(
            CmcResponses.certsOnly(keys.chain(), null), flags);
        case BASECRL -> Encodings.encodeCrl(ca.crl(), flags);
        case CACERTSTATE, CRLSTATE -> PropType.CA_DISP_VALID;
        case CACERTVERSION, CACERTSTATUSCODE -> 0;
        case TEMPLATES -> ca.templates().stream().map(t -> t.commonName() + "\n" + t.oid() + "\n")
            .collect(Collectors.joining());
        default -> throw new CertSrvException(HResult.CERTSRV_E_PROPERTY_EMPTY, p + " is not set on this CA");
      };
    } catch (GeneralSecurityException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot encode " + p, e);
    }
  }

  /** GetCACertificate: the CA certificate, or with CR_OUT_CHAIN a PKCS#7 of its chain. */
  String caCertificate(int flags) throws CertSrvException {
    try {
      CaHierarchy keys = ca.keys();
      byte[] der = (flags & OutputFlags.CR_OUT_CHAIN) == 0 ? keys.issuing().getEncoded()
          : CmcResponses.certsOnly(keys.chain(), (flags & OutputFlags.CR_OUT_CRLS) != 0 ? ca.crl() : null);
      return Encodings.encode(der, flags);
    } catch (GeneralSecurityException e) {
      throw new CertSrvException(HResult.E_FAIL, "cannot encode the CA certificate", e);
    }
  }
}
