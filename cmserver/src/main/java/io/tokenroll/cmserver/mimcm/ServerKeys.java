package io.tokenroll.cmserver.mimcm;

import io.tokenroll.cmserver.ca.CaHierarchy;
import io.tokenroll.cmserver.ca.CaSession;
import io.tokenroll.cmserver.ca.CertificateAuthority;
import io.tokenroll.cmserver.ca.Keys;
import io.tokenroll.cmserver.ca.Requester;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Server-side key generation for templates that say so: the server makes the key, submits a CSR for it through
 * the same CA path as the client's CSRs (so the CA database records it), and packs key and chain into a PKCS#12
 * protected by the request's {@code pfxpassword}.
 */
final class ServerKeys {
  /** The outcome: a key and its certificate, or the CA's reason for not issuing. */
  record Issued(PrivateKey key, X509Certificate certificate, String error) {
  }

  private final CertificateAuthority ca;

  ServerKeys(CertificateAuthority ca) {
    this.ca = ca;
  }

  Issued issue(Requester requester, CertificateEntry e) throws GeneralSecurityException, CertSrvException {
    int size = e.keyFamily().equals("EC") ? Integer.parseInt(e.keyAlgorithmName().replaceAll("\\D", "")) : e.keySize();
    KeyPair kp = Keys.generate(e.keyFamily(), size);
    byte[] csr;
    try {
      String sigAlg = "SHA256with" + (e.keyFamily().equals("EC") ? "ECDSA" : "RSA");
      csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(""), kp.getPublic())
          .build(new JcaContentSignerBuilder(sigAlg).build(kp.getPrivate())).getEncoded();
    } catch (IOException | OperatorCreationException ex) {
      throw new GeneralSecurityException("cannot build the CSR", ex);
    }
    CaSession session = ca.session(requester);
    int disposition = session.submit(RequestFlags.CR_IN_BINARY | RequestFlags.CR_IN_PKCS10,
        new String(csr, StandardCharsets.ISO_8859_1), "CertificateTemplate:" + e.caTemplate(), ca.config());
    if (disposition != Disposition.CR_DISP_ISSUED) {
      return new Issued(null, null, session.getDispositionMessage());
    }
    byte[] der = session.getCertificate(OutputFlags.CR_OUT_BINARY).getBytes(StandardCharsets.ISO_8859_1);
    return new Issued(kp.getPrivate(), CaHierarchy.certificate(der), null);
  }

  static byte[] pkcs12(PrivateKey key, X509Certificate leaf, List<X509Certificate> chain, String password)
      throws GeneralSecurityException {
    try {
      char[] pw = password == null ? new char[0] : password.toCharArray();
      List<X509Certificate> certs = new ArrayList<>();
      certs.add(leaf);
      certs.addAll(chain);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("key", key, pw, certs.toArray(X509Certificate[]::new));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ks.store(out, pw);
      return out.toByteArray();
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot write the PKCS#12", e);
    }
  }

  /** From stored base64 PKCS#8 and certificate DER. */
  static byte[] pkcs12(String pkcs8, String certificate, List<X509Certificate> chain, String password)
      throws GeneralSecurityException {
    X509Certificate leaf = CaHierarchy.certificate(Base64.getDecoder().decode(certificate));
    PrivateKey key = Keys.privateKey(Base64.getDecoder().decode(pkcs8), Keys.algorithm(leaf.getPublicKey()));
    return pkcs12(key, leaf, chain, password);
  }
}
