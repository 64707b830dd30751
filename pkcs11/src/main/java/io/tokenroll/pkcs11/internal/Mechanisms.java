package io.tokenroll.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import io.tokenroll.pkcs11.SignatureAlgorithm;
import java.util.Map;

/** The PKCS#11 mechanisms behind each signature algorithm: the combined one, and the raw fallback. */
final class Mechanisms {
  private static final Map<SignatureAlgorithm, Long> COMBINED = Map.ofEntries(
      Map.entry(SignatureAlgorithm.SHA1_RSA, CKM_SHA1_RSA_PKCS),
      Map.entry(SignatureAlgorithm.SHA256_RSA, CKM_SHA256_RSA_PKCS),
      Map.entry(SignatureAlgorithm.SHA384_RSA, CKM_SHA384_RSA_PKCS),
      Map.entry(SignatureAlgorithm.SHA512_RSA, CKM_SHA512_RSA_PKCS),
      Map.entry(SignatureAlgorithm.SHA256_RSA_PSS, CKM_SHA256_RSA_PKCS_PSS),
      Map.entry(SignatureAlgorithm.SHA384_RSA_PSS, CKM_SHA384_RSA_PKCS_PSS),
      Map.entry(SignatureAlgorithm.SHA512_RSA_PSS, CKM_SHA512_RSA_PKCS_PSS),
      Map.entry(SignatureAlgorithm.SHA1_ECDSA, CKM_ECDSA_SHA1),
      Map.entry(SignatureAlgorithm.SHA256_ECDSA, CKM_ECDSA_SHA256),
      Map.entry(SignatureAlgorithm.SHA384_ECDSA, CKM_ECDSA_SHA384),
      Map.entry(SignatureAlgorithm.SHA512_ECDSA, CKM_ECDSA_SHA512));

  private Mechanisms() {
  }

  static long combined(SignatureAlgorithm a) {
    return COMBINED.get(a);
  }

  /** The mechanism that signs a digest computed on the host. */
  static long raw(SignatureAlgorithm a) {
    return switch (a.padding()) {
      case PKCS1 -> CKM_RSA_PKCS;
      case PSS -> CKM_RSA_PKCS_PSS;
      case NONE -> CKM_ECDSA;
    };
  }

  static long digestMechanism(SignatureAlgorithm a) {
    return switch (a.digest()) {
      case "SHA-1" -> CKM_SHA_1;
      case "SHA-256" -> CKM_SHA256;
      case "SHA-384" -> CKM_SHA384;
      default -> CKM_SHA512;
    };
  }

  static long mgf(SignatureAlgorithm a) {
    return switch (a.digest()) {
      case "SHA-1" -> CKG_MGF1_SHA1;
      case "SHA-256" -> CKG_MGF1_SHA256;
      case "SHA-384" -> CKG_MGF1_SHA384;
      default -> CKG_MGF1_SHA512;
    };
  }
}
