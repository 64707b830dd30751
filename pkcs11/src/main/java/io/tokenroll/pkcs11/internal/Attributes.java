package io.tokenroll.pkcs11.internal;

import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.attrs.Attribute;

/** Reads attributes tolerantly: tokens differ in which optional attributes they know. */
final class Attributes {
  private Attributes() {
  }

  /**
   * Reads the given attributes; those the token does not support for this object are simply absent from the
   * result. Fatal session errors still propagate.
   */
  static AttributeVector read(Session s, long handle, long... types) throws PKCS11Exception {
    try {
      return s.getAttrValues(handle, types);
    } catch (PKCS11Exception e) {
      if (SessionPool.isSessionFatal(e) || e.getErrorCode() == org.xipki.pkcs11.wrapper.PKCS11Constants
          .CKR_OBJECT_HANDLE_INVALID) {
        throw e;
      }
      AttributeVector result = new AttributeVector();
      for (long type : types) {
        try {
          Attribute a = s.getAttrValues(handle, type).getAttribute(type);
          if (a != null) {
            result.attr(a);
          }
        } catch (PKCS11Exception single) {
          if (SessionPool.isSessionFatal(single)) {
            throw single;
          }
        }
      }
      return result;
    }
  }

  static boolean isTrue(Boolean b) {
    return b != null && b;
  }
}
