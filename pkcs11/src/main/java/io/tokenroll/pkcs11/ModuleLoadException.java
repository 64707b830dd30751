package io.tokenroll.pkcs11;

/** The PKCS#11 library could not be loaded or initialised. */
public class ModuleLoadException extends TokenException {
  public ModuleLoadException(String message, String ckr, Throwable cause) {
    super(message, ckr, cause);
  }
}
