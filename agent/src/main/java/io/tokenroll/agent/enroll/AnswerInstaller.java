package io.tokenroll.agent.enroll;

import io.tokenroll.agent.journal.Journal;
import io.tokenroll.agent.mimcm.Models.CertificateItem;
import io.tokenroll.agent.response.CmcResponse;
import io.tokenroll.agent.response.InvalidResponseException;
import io.tokenroll.agent.response.IssuedChain;
import io.tokenroll.agent.response.PfxContents;
import io.tokenroll.agent.response.ResponseParser;
import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeyRef;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Installs a certificatedata answer on the token. Every item is checked before anything is written: a PKCS#7
 * must be a successful CMC response (or a certs-only PKCS#7) whose certificate belongs to a key this enrollment
 * generated, whose issued-certificate hash matches, and whose chain chains; a PFX must open with our pfxpassword
 * and the token must accept key import. A refused item changes nothing on the token; the others are installed.
 */
final class AnswerInstaller {
  private final TokenSession token;
  private final IssuerTrust trust;
  private final boolean writeAuthorities;
  private final Journal journal;

  /**
   * @param journal where the enrollment records an object it is about to create, before creating it: a crash in
   *     the middle of installing still leaves a record of everything abandon must remove
   */
  AnswerInstaller(TokenSession token, IssuerTrust trust, boolean writeAuthorities, Journal journal) {
    this.token = token;
    this.trust = trust;
    this.writeAuthorities = writeAuthorities;
    this.journal = journal;
  }

  /**
   * Claims an object for this enrollment before it is written, unless the token already holds it: what was there
   * before (a CA certificate shipped on the card, a key kept as history by a renewal) is never this enrollment's
   * to remove.
   */
  private void claim(Enrollment e, List<String> ids, KeyId id, ObjectQuery existing) throws TokenException {
    claim(e, ids, null, id, existing);
  }

  /** As above; an object found already on the token goes to {@code found} when given. */
  private void claim(Enrollment e, List<String> ids, List<String> found, KeyId id, ObjectQuery existing)
      throws TokenException {
    if (ids.contains(id.hex())) {
      return;
    }
    if (!token.find(existing).isEmpty()) {
      if (found != null && !found.contains(id.hex())) {
        found.add(id.hex());
      }
      return;
    }
    ids.add(id.hex());
    try {
      journal.store(e);
    } catch (java.io.IOException ex) {
      throw new TokenException("cannot journal the object about to be written (" + ex.getMessage() + "); nothing "
          + "was written", null, ex);
    }
  }

  private sealed interface Planned permits CertWrite, PfxWrite, Refused {
  }

  private record CertWrite(int item, KeyPlan key, IssuedChain chain) implements Planned {
  }

  private record PfxWrite(int item, PfxContents pfx, String label) implements Planned {
  }

  private record Refused(int item, String reason) implements Planned {
  }

  /** Installs what can be installed; returns one outcome per item. */
  List<ItemOutcome> install(Enrollment e, List<CertificateItem> items) throws TokenException {
    List<Planned> plans = new ArrayList<>();
    Set<Integer> claimed = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      Planned p;
      try {
        p = plan(i, items.get(i), e, claimed);
      } catch (RuntimeException | StackOverflowError ex) { // a decoder's failure on hostile input: refuse the item
        p = new Refused(i, "the item cannot be decoded (" + ex.getClass().getSimpleName() + "); refused");
      }
      if (p instanceof CertWrite w) {
        claimed.add(w.key.index);
      }
      plans.add(p);
    }
    List<ItemOutcome> outcomes = new ArrayList<>();
    for (Planned p : plans) {
      if (p instanceof CertWrite w) {
        outcomes.add(writeCertificate(e, w));
      } else if (p instanceof PfxWrite w) {
        outcomes.add(importPfx(e, w));
      } else {
        Refused r = (Refused) p;
        outcomes.add(ItemOutcome.of(r.item, "FAILED", r.reason));
      }
    }
    return outcomes;
  }

  private Planned plan(int i, CertificateItem item, Enrollment e, Set<Integer> claimed) {
    String error = item.errorText();
    if (error != null) {
      return new Refused(i, "the server reports an error for this item: " + error);
    }
    try {
      if (item.pkcs7Item()) {
        return planPkcs7(i, decode(item.pkcs7(), "Pkcs7"), e, claimed);
      }
      if (item.pfxItem()) {
        return planPfx(i, decode(item.pfx(), "Pfx"), e, item);
      }
      return new Refused(i, "the item carries neither a PKCS#7 nor a PFX (isPkcs7 and isPfx are false)");
    } catch (InvalidResponseException ex) {
      return new Refused(i, ex.getMessage());
    }
  }

  private static byte[] decode(String base64, String field) throws InvalidResponseException {
    if (base64 == null || base64.isBlank()) {
      throw new InvalidResponseException("the item's " + field + " is empty");
    }
    try {
      return Base64.getMimeDecoder().decode(base64.strip());
    } catch (IllegalArgumentException ex) {
      throw new InvalidResponseException("the item's " + field + " is not valid base64");
    }
  }

  private Planned planPkcs7(int i, byte[] der, Enrollment e, Set<Integer> claimed) throws InvalidResponseException {
    CmcResponse response = ResponseParser.parse(der);
    if (!response.succeeded()) {
      return new Refused(i, "the CMC response is not a success: " + response.describeStatus());
    }
    for (KeyPlan key : e.keys) {
      if (key.stage != KeyPlan.Stage.READY || key.publicKey == null) {
        continue;
      }
      PublicKey pub = publicKey(key);
      boolean forThisKey = response.certificates().stream()
          .anyMatch(c -> Arrays.equals(c.getPublicKey().getEncoded(), pub.getEncoded()));
      if (!forThisKey) {
        continue;
      }
      if (claimed.contains(key.index) || key.certified) {
        return new Refused(i, "a second certificate for the same key (request " + (key.index + 1) + ")");
      }
      IssuedChain chain = IssuedChain.forKey(pub, response.certificates(), trust.anchors(),
          trust.required());
      if (!response.issuedCertificateHashes().isEmpty() && response.issuedCertificateHashes().stream()
          .noneMatch(h -> Arrays.equals(h, sha1(chain.leaf())))) {
        return new Refused(i, "szOID_ISSUED_CERT_HASH does not match the issued certificate");
      }
      return new CertWrite(i, key, chain);
    }
    return new Refused(i, "the certificate in this item is for a key this enrollment does not hold");
  }

  private Planned planPfx(int i, byte[] der, Enrollment e, CertificateItem item) throws InvalidResponseException {
    if (!token.capabilities().keyImport()) {
      return new Refused(i, "this item is a server-generated key (PFX), and " + token.info().describe()
          + " does not accept imported keys");
    }
    if (e.pfxPassword == null) {
      return new Refused(i, "the pfxpassword for this PFX is no longer known");
    }
    PfxContents pfx = PfxContents.open(der, e.pfxPassword.toCharArray());
    if (!Arrays.equals(pfx.certificate().getPublicKey().getEncoded(), publicOf(pfx))) {
      return new Refused(i, "the PFX's certificate does not belong to its private key");
    }
    String label = item.templateCommonName() == null ? "server-generated" : item.templateCommonName();
    return new PfxWrite(i, pfx, label + (Boolean.TRUE.equals(item.isKeyHistory()) ? " (key history)" : ""));
  }

  private ItemOutcome writeCertificate(Enrollment e, CertWrite w) throws TokenException {
    KeyId id = KeyId.parse(w.key.finalId);
    if (!Arrays.equals(token.publicKey(id).getEncoded(), w.chain.leaf().getPublicKey().getEncoded())) {
      return ItemOutcome.of(w.item, "FAILED", "the key on the token no longer matches the certificate");
    }
    token.storeCertificate(w.chain.leaf(), id, w.key.label, CertificateCategory.USER);
    writeAuthorities(e, w.chain.authorities());
    w.key.certified = true;
    if (!e.installedKeyIds.contains(id.hex())) {
      e.installedKeyIds.add(id.hex());
    }
    ItemOutcome o = ItemOutcome.of(w.item, "INSTALLED", w.chain.leaf().getSubjectX500Principal().getName());
    o.keyIndex = w.key.index;
    o.keyId = id.hex();
    o.certificateSerial = w.chain.leaf().getSerialNumber().toString(16);
    return o.validity(w.chain.leaf());
  }

  private ItemOutcome importPfx(Enrollment e, PfxWrite w) throws TokenException {
    KeyId expected = KeyId.subjectKeyIdOf(w.pfx.certificate().getPublicKey());
    claim(e, e.installedKeyIds, expected, ObjectQuery.byId(expected));
    KeyRef ref = token.importPrivateKey(w.pfx.key(), w.pfx.certificate(), w.label, false);
    if (!ref.id().equals(expected) && !e.installedKeyIds.contains(ref.id().hex())) {
      e.installedKeyIds.add(ref.id().hex()); // a token that chooses its own ids (PIV slots)
    }
    writeAuthorities(e, w.pfx.chain());
    ItemOutcome o = ItemOutcome.of(w.item, "INSTALLED", "server-generated key: "
        + w.pfx.certificate().getSubjectX500Principal().getName());
    o.keyId = ref.id().hex();
    o.certificateSerial = w.pfx.certificate().getSerialNumber().toString(16);
    return o.validity(w.pfx.certificate());
  }

  private void writeAuthorities(Enrollment e, List<X509Certificate> cas) throws TokenException {
    if (!writeAuthorities || !token.capabilities().caCertificateStore()) { // a PIV card has no place for them
      return;
    }
    for (X509Certificate ca : cas) {
      KeyId id = KeyId.subjectKeyIdOf(ca.getPublicKey());
      claim(e, e.installedCaIds, e.usedCaIds, id, ObjectQuery.byId(id).withClass(ObjectClass.CERTIFICATE));
      token.storeCertificate(ca, id, ca.getSubjectX500Principal().getName(), CertificateCategory.AUTHORITY);
    }
  }

  static PublicKey publicKey(KeyPlan key) throws InvalidResponseException {
    byte[] der = Base64.getDecoder().decode(key.publicKey);
    for (String alg : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
      } catch (java.security.GeneralSecurityException ex) {
        // try the next algorithm
      }
    }
    throw new InvalidResponseException("the journaled public key of request " + (key.index + 1) + " is unreadable");
  }

  /** The public key of a PFX's private key, derived from the certificate's algorithm by signing and verifying. */
  private static byte[] publicOf(PfxContents pfx) throws InvalidResponseException {
    try {
      String alg = pfx.key().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      java.security.Signature s = java.security.Signature.getInstance(alg);
      s.initSign(pfx.key());
      s.update(new byte[] {1});
      byte[] sig = s.sign();
      s.initVerify(pfx.certificate().getPublicKey());
      s.update(new byte[] {1});
      return s.verify(sig) ? pfx.certificate().getPublicKey().getEncoded() : new byte[0];
    } catch (java.security.GeneralSecurityException ex) {
      throw new InvalidResponseException("the PFX's key cannot be checked: " + ex.getMessage());
    }
  }

  static byte[] sha1(X509Certificate c) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(c.getEncoded());
    } catch (java.security.GeneralSecurityException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
