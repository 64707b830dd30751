package io.tokenroll.cmserver.ca;

import io.tokenroll.cmserver.store.CaDatabase;
import io.tokenroll.cmserver.store.CaRecord;
import io.tokenroll.protocol.certsrv.Disposition;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;

/** Signs the issuing CA's base CRL from the revoked rows of the CA database, and caches it until it changes. */
final class CrlIssuer {
  private static final Duration LIFETIME = Duration.ofDays(7);

  private final CaHierarchy keys;
  private final CaDatabase db;
  private byte[] current;
  private Instant refreshAfter = Instant.MIN;

  CrlIssuer(CaHierarchy keys, CaDatabase db) {
    this.keys = keys;
    this.db = db;
  }

  synchronized void invalidate() {
    current = null;
  }

  synchronized byte[] current() throws SQLException, GeneralSecurityException {
    Instant now = Instant.now();
    if (current != null && now.isBefore(refreshAfter)) {
      return current;
    }
    try {
      X509v2CRLBuilder b = new JcaX509v2CRLBuilder(keys.issuing(), Date.from(now));
      b.setNextUpdate(Date.from(now.plus(LIFETIME)));
      for (CaRecord r : db.withDisposition(Disposition.CR_DISP_REVOKED)) {
        b.addCRLEntry(r.serial(), Date.from(r.revoked()),
            r.revocationReason() == null ? CRLReason.unspecified : r.revocationReason());
      }
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(db.nextCrlNumber())));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(keys.issuing()));
      current = b.build(keys.signer()).getEncoded();
      refreshAfter = now.plus(LIFETIME.dividedBy(2));
      return current;
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode the CRL", e);
    }
  }
}
