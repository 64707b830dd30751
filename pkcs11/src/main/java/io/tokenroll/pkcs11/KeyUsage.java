package io.tokenroll.pkcs11;

/** What a generated private key may do; maps to CKA_SIGN, CKA_DECRYPT/CKA_UNWRAP and CKA_DERIVE. */
public enum KeyUsage {
  SIGN,
  DECRYPT,
  KEY_AGREEMENT
}
