package io.tokenroll.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import io.tokenroll.pkcs11.Curve;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.KeyUsage;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.Session;

/** Key-pair templates and public-key reading: the PKCS#11 side of key generation. */
final class KeyPairs {
  private static final BigInteger F4 = BigInteger.valueOf(65537);

  private KeyPairs() {
  }

  /**
   * Generates a pair whose private key is a private, sensitive token object, extractable only on request.
   * Usage attributes are set explicitly, false ones too — SoftHSM defaults CKA_DECRYPT and CKA_UNWRAP to true —
   * except on tokens that decide usage themselves and refuse an explicit false ({@code restrictUsage} off).
   */
  static PKCS11KeyPair generate(Session s, KeyTemplate t, KeyId id, boolean restrictUsage) throws PKCS11Exception {
    boolean rsa = t.spec().type() == KeySpec.Type.RSA;
    boolean sign = t.usages().contains(KeyUsage.SIGN);
    boolean decrypt = rsa && t.usages().contains(KeyUsage.DECRYPT); // EC keys agree (derive) rather than decrypt
    boolean derive = !rsa && t.usages().contains(KeyUsage.KEY_AGREEMENT);

    KeyPairTemplate tpl = new KeyPairTemplate(rsa ? CKK_RSA : CKK_EC).token(true).id(id.toByteArray());
    if (t.label() != null) {
      tpl.labels(t.label());
    }
    AttributeVector priv = tpl.privateKey().private_(true).sensitive(true).extractable(t.exportable());
    AttributeVector pub = tpl.publicKey().private_(false);
    usage(priv, pub, sign, restrictUsage, AttributeVector::sign, AttributeVector::verify);
    usage(priv, pub, decrypt, restrictUsage, AttributeVector::decrypt, AttributeVector::encrypt);
    usage(priv, pub, decrypt, restrictUsage, AttributeVector::unwrap, AttributeVector::wrap);
    usage(priv, pub, derive, restrictUsage, AttributeVector::derive, AttributeVector::derive);
    if (rsa) {
      pub.modulusBits(t.spec().bits()).publicExponent(F4);
    } else {
      pub.ecParams(encodedOid(t.spec().curve()));
    }
    if (t.alwaysAuthenticate()) {
      priv.alwaysAuthenticate(true);
    }
    Mechanism mechanism = new Mechanism(rsa ? CKM_RSA_PKCS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN);
    return s.generateKeyPair(mechanism, tpl);
  }

  private static void usage(AttributeVector priv, AttributeVector pub, boolean wanted, boolean restrict,
                            java.util.function.BiConsumer<AttributeVector, Boolean> privateAttr,
                            java.util.function.BiConsumer<AttributeVector, Boolean> publicAttr) {
    if (wanted || restrict) {
      privateAttr.accept(priv, wanted);
      publicAttr.accept(pub, wanted);
    }
  }

  static byte[] encodedOid(Curve curve) {
    try {
      return curve.oid().getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the public key of a public-key object, or of an RSA private-key object (modulus and exponent). */
  static PublicKey read(Session s, long handle) throws PKCS11Exception, GeneralSecurityException {
    return read(s, handle, s.getAttrValues(handle, CKA_KEY_TYPE).keyType());
  }

  /**
   * Reads the public key of a pair just generated from {@code spec}: its type and curve are known, so only the
   * key's own values are read (on SoftHSM each attribute read of a token object re-checks its file).
   */
  static PublicKey readGenerated(Session s, long handle, KeySpec spec) throws PKCS11Exception, GeneralSecurityException {
    if (spec.type() == KeySpec.Type.EC) {
      return PublicKeys.ec(spec.curve(), s.getAttrValues(handle, CKA_EC_POINT).ecPoint());
    }
    return read(s, handle, CKK_RSA);
  }

  /** Reads a public key whose type is already known. */
  static PublicKey read(Session s, long handle, long keyType) throws PKCS11Exception, GeneralSecurityException {
    if (keyType == CKK_RSA) {
      AttributeVector v = s.getAttrValues(handle, CKA_MODULUS, CKA_PUBLIC_EXPONENT);
      return PublicKeys.rsa(v.modulus(), v.publicExponent());
    }
    if (keyType == CKK_EC) {
      AttributeVector v = s.getAttrValues(handle, CKA_EC_PARAMS, CKA_EC_POINT);
      return PublicKeys.ec(v.ecParams(), v.ecPoint());
    }
    throw new GeneralSecurityException("unsupported key type " + keyType);
  }

  /** The key spec of a key object from its modulus or curve; null when unreadable. */
  static KeySpec specOf(AttributeVector v) {
    Long keyType = v.keyType();
    if (keyType == null) {
      return null;
    }
    try {
      if (keyType == CKK_RSA && v.modulus() != null) {
        return KeySpec.rsa(v.modulus().bitLength());
      }
      if (keyType == CKK_EC && v.ecParams() != null) {
        return KeySpec.ec(Curve.fromOid(ASN1ObjectIdentifier.getInstance(ASN1Primitive.fromByteArray(
            PublicKeys.boundedFromToken(v.ecParams(), PublicKeys.MAX_EC_PARAMS)))));
      }
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    return null;
  }
}
