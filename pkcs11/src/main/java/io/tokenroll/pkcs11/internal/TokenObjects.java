package io.tokenroll.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenObject.Flag;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/** Finding, reading and writing objects: the PKCS#11 side of {@link io.tokenroll.pkcs11.TokenObject}. */
final class TokenObjects {
  private static final Map<ObjectClass, Long> CLASS_CODES = Map.of(ObjectClass.PRIVATE_KEY, CKO_PRIVATE_KEY,
      ObjectClass.PUBLIC_KEY, CKO_PUBLIC_KEY, ObjectClass.CERTIFICATE, CKO_CERTIFICATE,
      ObjectClass.SECRET_KEY, CKO_SECRET_KEY, ObjectClass.DATA, CKO_DATA);

  private static final long[] KEY_FLAGS = {CKA_SENSITIVE, CKA_ALWAYS_SENSITIVE, CKA_EXTRACTABLE,
      CKA_NEVER_EXTRACTABLE, CKA_LOCAL, CKA_SIGN, CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE, CKA_ALWAYS_AUTHENTICATE};
  private static final long[] PUBLIC_FLAGS = {CKA_LOCAL, CKA_VERIFY, CKA_ENCRYPT, CKA_WRAP, CKA_DERIVE};

  private TokenObjects() {
  }

  static long[] find(Session s, ObjectQuery q) throws PKCS11Exception {
    AttributeVector template = new AttributeVector();
    if (q.objectClass() != null) {
      Long code = CLASS_CODES.get(q.objectClass());
      if (code == null) {
        return new long[0];
      }
      template.class_(code);
    }
    if (q.id() != null) {
      template.id(q.id().toByteArray());
    }
    if (q.label() != null) {
      template.label(q.label());
    }
    return s.findAllObjectsSingle(template);
  }

  static TokenObject read(Session s, long handle) throws PKCS11Exception {
    AttributeVector common = Attributes.read(s, handle, CKA_CLASS, CKA_ID, CKA_LABEL, CKA_TOKEN, CKA_PRIVATE);
    long cls = common.class_() == null ? -1 : common.class_();
    ObjectClass objectClass = CLASS_CODES.entrySet().stream().filter(e -> e.getValue() == cls)
        .map(Map.Entry::getKey).findFirst().orElse(ObjectClass.OTHER);
    byte[] id = common.id();
    KeyId keyId = id == null || id.length == 0 ? null : KeyId.of(id);
    Set<Flag> flags = EnumSet.noneOf(Flag.class);
    flag(flags, common.token(), Flag.TOKEN);
    flag(flags, common.private_(), Flag.PRIVATE);
    return switch (objectClass) {
      case PRIVATE_KEY, PUBLIC_KEY -> {
        AttributeVector key = Attributes.read(s, handle, CKA_KEY_TYPE, CKA_MODULUS, CKA_EC_PARAMS);
        AttributeVector f = Attributes.read(s, handle, objectClass == ObjectClass.PRIVATE_KEY ? KEY_FLAGS : PUBLIC_FLAGS);
        keyFlags(flags, f);
        yield new TokenObject(handle, objectClass, keyId, common.label(), KeyPairs.specOf(key), flags, null, null);
      }
      case CERTIFICATE -> {
        AttributeVector c = Attributes.read(s, handle, CKA_CERTIFICATE_TYPE, CKA_CERTIFICATE_CATEGORY, CKA_VALUE);
        X509Certificate cert = c.certificateType() != null && c.certificateType() == CKC_X_509
            ? parse(c.value()) : null;
        yield new TokenObject(handle, objectClass, keyId, common.label(), null, flags,
            CertificateCategory.fromCode(c.certificateCategory()), cert);
      }
      default -> new TokenObject(handle, objectClass, keyId, common.label(), null, flags, null, null);
    };
  }

  private static void keyFlags(Set<Flag> flags, AttributeVector f) {
    flag(flags, f.sensitive(), Flag.SENSITIVE);
    flag(flags, f.alwaysSensitive(), Flag.ALWAYS_SENSITIVE);
    flag(flags, f.extractable(), Flag.EXTRACTABLE);
    flag(flags, f.neverExtractable(), Flag.NEVER_EXTRACTABLE);
    flag(flags, f.local(), Flag.LOCAL);
    flag(flags, f.alwaysAuthenticate(), Flag.ALWAYS_AUTHENTICATE);
    flag(flags, f.sign(), Flag.SIGN);
    flag(flags, f.decrypt(), Flag.DECRYPT);
    flag(flags, f.unwrap(), Flag.UNWRAP);
    flag(flags, f.derive(), Flag.DERIVE);
    flag(flags, f.verify(), Flag.VERIFY);
    flag(flags, f.encrypt(), Flag.ENCRYPT);
    flag(flags, f.wrap(), Flag.WRAP);
  }

  private static void flag(Set<Flag> flags, Boolean value, Flag flag) {
    if (Attributes.isTrue(value)) {
      flags.add(flag);
    }
  }

  static X509Certificate parse(byte[] der) {
    if (der == null) {
      return null;
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException | StackOverflowError e) { // a hostile card's CKA_VALUE
      return null; // listed without a parsed value; the object itself is still shown
    }
  }

  /** The X.509 certificate object attributes PKCS#11 v2.40 §4.6.3 and OpenSC expect. */
  static AttributeVector certificateTemplate(X509Certificate cert, KeyId id, String label,
                                             CertificateCategory category) throws CertificateEncodingException {
    AttributeVector v = AttributeVector.newX509Certificate().token(true).private_(false)
        .subject(cert.getSubjectX500Principal().getEncoded())
        .issuer(cert.getIssuerX500Principal().getEncoded())
        .serialNumber(derInteger(cert.getSerialNumber()))
        .value(cert.getEncoded())
        .certificateCategory(category.code());
    if (id != null) {
      v.id(id.toByteArray());
    }
    if (label != null) {
      v.label(label);
    }
    return v;
  }

  /** CKA_SERIAL_NUMBER is the DER encoding of the INTEGER, as OpenSC and NSS write it. */
  private static byte[] derInteger(BigInteger serial) {
    try {
      return new ASN1Integer(serial).getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<TokenObject> readAll(Session s, long[] handles) throws PKCS11Exception {
    List<TokenObject> list = new ArrayList<>(handles.length);
    for (long h : handles) {
      list.add(read(s, h));
    }
    return list;
  }
}
