package io.tokenroll.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyRef;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenSigner;
import io.tokenroll.pkcs11.TokenUnsupportedException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.List;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/** Operations on the objects of one key: find, re-id, sign, attach certificates, import. */
final class KeyObjects {
  private final WrapperSession session;

  KeyObjects(WrapperSession session) {
    this.session = session;
  }

  void setId(List<Long> handles, KeyId id) throws TokenException {
    session.write("setting key id " + id, false, s -> {
      for (long h : handles) {
        s.setAttributeValues(h, new AttributeVector().id(id.toByteArray()));
      }
      return null;
    });
  }

  void destroyQuietly(long... handles) {
    try {
      session.write("removing a half-made key", false, s -> {
        for (long h : handles) {
          try {
            s.destroyObject(h);
          } catch (PKCS11Exception e) {
            // already gone, or the token refuses; nothing more we can do here
          }
        }
        return null;
      });
    } catch (TokenException e) {
      // reported by the caller's own exception
    }
  }

  PublicKey publicKey(KeyId id) throws TokenException {
    return session.withSession("reading the public key " + id, s -> {
      long pub = single(s, ObjectClass.PUBLIC_KEY, id);
      if (pub != 0) {
        return KeyPairs.read(s, pub);
      }
      for (long h : TokenObjects.find(s, new ObjectQuery(ObjectClass.CERTIFICATE, id, null))) {
        X509Certificate cert = TokenObjects.read(s, h).certificate();
        if (cert != null) {
          return cert.getPublicKey();
        }
      }
      long priv = single(s, ObjectClass.PRIVATE_KEY, id);
      if (priv != 0 && s.getAttrValues(priv, CKA_KEY_TYPE).keyType() == CKK_RSA) {
        return KeyPairs.read(s, priv);
      }
      throw new TokenException("no public key or certificate with id " + id + " on " + session.info().describe());
    });
  }

  TokenSigner signer(KeyId id, SignatureAlgorithm algorithm) throws TokenException {
    if (!session.capabilities().canSign(algorithm)) {
      throw new TokenUnsupportedException(session.info().describe() + " cannot sign " + algorithm.jcaName());
    }
    PublicKey publicKey = publicKey(id);
    KeySpec spec = KeySpec.of(publicKey);
    if (spec.type() != algorithm.keyType()) {
      throw new TokenUnsupportedException("key " + id + " is " + spec + "; it cannot sign " + algorithm.jcaName());
    }
    return session.withSession("finding private key " + id, s -> {
      long handle = single(s, ObjectClass.PRIVATE_KEY, id);
      if (handle == 0) {
        throw new TokenException("no private key with id " + id + " on " + session.info().describe());
      }
      AttributeVector a = Attributes.read(s, handle, CKA_LABEL, CKA_ALWAYS_AUTHENTICATE);
      boolean combined = CapabilityProbe.has(session.info(), Mechanisms.combined(algorithm));
      return new WrapperSigner(session, handle, new KeyRef(id, a.label()), publicKey, algorithm,
          Attributes.isTrue(a.alwaysAuthenticate()), combined);
    });
  }

  /** The only object of a class with this id; 0 when there is none. Several are an error: ids must be unique. */
  private long single(Session s, ObjectClass cls, KeyId id) throws PKCS11Exception, TokenException {
    long[] handles = TokenObjects.find(s, new ObjectQuery(cls, id, null));
    if (handles.length > 1) {
      throw new TokenException(handles.length + " " + cls.name().toLowerCase().replace('_', ' ') + " objects share id "
          + id + " on " + session.info().describe() + "; remove the duplicates first");
    }
    return handles.length == 0 ? 0 : handles[0];
  }

  TokenObject storeCertificate(X509Certificate cert, KeyId id, String label, CertificateCategory category)
      throws TokenException {
    byte[] der = encoded(cert);
    AttributeVector template = template(cert, id, label, category);
    return session.write("storing certificate '" + cert.getSubjectX500Principal() + "'", false, s -> {
      for (long h : TokenObjects.find(s, new ObjectQuery(ObjectClass.CERTIFICATE, id, null))) {
        TokenObject existing = TokenObjects.read(s, h);
        if (existing.certificate() != null && Arrays.equals(encoded(existing.certificate()), der)) {
          return existing; // idempotent: the same certificate is already there
        }
      }
      return TokenObjects.read(s, s.createObject(template));
    });
  }

  private static AttributeVector template(X509Certificate cert, KeyId id, String label, CertificateCategory cat)
      throws TokenException {
    try {
      return TokenObjects.certificateTemplate(cert, id, label, cat);
    } catch (CertificateEncodingException e) {
      throw new TokenException("certificate cannot be encoded: " + e.getMessage(), null, e);
    }
  }

  private static byte[] encoded(X509Certificate cert) throws TokenException {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new TokenException("certificate cannot be encoded: " + e.getMessage(), null, e);
    }
  }

  /** Writes private key, public key and certificate under id = SKI of the certificate's key. */
  KeyRef importPrivateKey(PrivateKey key, X509Certificate cert, String label, boolean exportable)
      throws TokenException {
    if (!session.capabilities().keyImport()) {
      throw new TokenUnsupportedException(session.info().describe()
          + " does not accept private keys from outside (no key import); this item cannot be installed on it");
    }
    PublicKey publicKey = cert.getPublicKey();
    KeyId id = KeyId.subjectKeyIdOf(publicKey);
    AttributeVector priv;
    AttributeVector pub;
    if (key instanceof RSAPrivateCrtKey rsa) {
      priv = AttributeVector.newRSAPrivateKey().modulus(rsa.getModulus()).publicExponent(rsa.getPublicExponent())
          .privateExponent(rsa.getPrivateExponent()).prime1(rsa.getPrimeP()).prime2(rsa.getPrimeQ())
          .exponent1(rsa.getPrimeExponentP()).exponent2(rsa.getPrimeExponentQ()).coefficient(rsa.getCrtCoefficient())
          .sign(true).decrypt(true).unwrap(true);
      var rsaPub = (java.security.interfaces.RSAPublicKey) publicKey;
      pub = AttributeVector.newRSAPublicKey().modulus(rsaPub.getModulus()).publicExponent(rsaPub.getPublicExponent())
          .verify(true).encrypt(true).wrap(true);
    } else if (key instanceof ECPrivateKey ec) {
      KeySpec spec = KeySpec.of(publicKey);
      byte[] params = KeyPairs.encodedOid(spec.curve());
      priv = AttributeVector.newECPrivateKey().ecParams(params)
          .value(org.bouncycastle.util.BigIntegers.asUnsignedByteArray((spec.bits() + 7) / 8, ec.getS()))
          .sign(true).derive(true);
      pub = AttributeVector.newECPublicKey().ecParams(params).ecPoint(ecPoint(publicKey)).verify(true);
    } else {
      throw new TokenUnsupportedException("cannot import a " + key.getAlgorithm() + " private key");
    }
    priv.token(true).private_(true).sensitive(true).extractable(exportable).id(id.toByteArray());
    pub.token(true).private_(false).id(id.toByteArray());
    if (label != null) {
      priv.label(label);
      pub.label(label);
    }
    AttributeVector certTemplate = template(cert, id, label, CertificateCategory.USER);
    session.write("importing a private key", false, s -> {
      // Idempotent, so a re-run after a crash completes the import instead of duplicating it.
      List<Long> created = new java.util.ArrayList<>();
      try {
        createIfMissing(s, ObjectClass.PRIVATE_KEY, id, priv, created);
        createIfMissing(s, ObjectClass.PUBLIC_KEY, id, pub, created);
        createIfMissing(s, ObjectClass.CERTIFICATE, id, certTemplate, created);
      } catch (PKCS11Exception e) {
        for (long h : created) {
          s.destroyObject(h);
        }
        throw e;
      }
      return null;
    });
    return new KeyRef(id, label);
  }

  private static void createIfMissing(Session s, ObjectClass cls, KeyId id, AttributeVector template,
                                      List<Long> created) throws PKCS11Exception {
    if (TokenObjects.find(s, new ObjectQuery(cls, id, null)).length == 0) {
      created.add(s.createObject(template));
    }
  }

  /** CKA_EC_POINT as the standard wants it: DER OCTET STRING around the uncompressed point. */
  private static byte[] ecPoint(PublicKey publicKey) throws TokenException {
    byte[] point = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(publicKey.getEncoded())
        .getPublicKeyData().getBytes();
    try {
      return new org.bouncycastle.asn1.DEROctetString(point).getEncoded();
    } catch (java.io.IOException e) {
      throw new TokenException("cannot encode EC point", null, e);
    }
  }
}
