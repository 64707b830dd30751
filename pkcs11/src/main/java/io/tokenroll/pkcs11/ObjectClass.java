package io.tokenroll.pkcs11;

/** The PKCS#11 object classes tokenroll lists and manages. */
public enum ObjectClass {
  PRIVATE_KEY, PUBLIC_KEY, CERTIFICATE, SECRET_KEY, DATA, OTHER
}
