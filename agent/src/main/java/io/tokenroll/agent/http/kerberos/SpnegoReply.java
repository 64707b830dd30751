package io.tokenroll.agent.http.kerberos;

import io.tokenroll.agent.encoding.DerBounds;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;

/**
 * The server's SPNEGO reply (RFC 4178 NegTokenResp), read before the JDK sees it. The JDK's SPNEGO initiator calls
 * itself established on a reply whose negState is "request-mic" or unknown without handing any Kerberos token to
 * the mechanism under it, so such a reply would pass for mutual authentication with no proof at all. Only a reply
 * that completes (accept-completed or accept-incomplete) with a response token goes on to the JDK, which then has
 * the Kerberos context verify the AP-REP.
 */
final class SpnegoReply {
  static final int ACCEPT_COMPLETED = 0;
  static final int ACCEPT_INCOMPLETE = 1;
  private static final int MAX_BYTES = 64 * 1024;

  private SpnegoReply() {
  }

  /** Refuses a reply that cannot carry the server's proof; returns normally for one that may. */
  static void checkCarriesProof(byte[] token) throws IOException {
    if (token.length == 0 || token.length > MAX_BYTES) {
      throw new IOException("the reply is empty or larger than " + MAX_BYTES + " bytes");
    }
    try {
      DerBounds.check(token, "the SPNEGO reply");
    } catch (DerBounds.TooComplexException e) {
      throw new IOException(e.getMessage());
    }
    try {
      ASN1Primitive outer = ASN1Primitive.fromByteArray(token);
      if (!(outer instanceof ASN1TaggedObject tagged) || tagged.getTagNo() != 1) {
        throw new IOException("not a SPNEGO NegTokenResp");
      }
      Integer negState = null;
      boolean responseToken = false;
      for (var element : ASN1Sequence.getInstance(tagged, true)) {
        if (!(element instanceof ASN1TaggedObject field)) {
          throw new IOException("a NegTokenResp field without its tag");
        }
        switch (field.getTagNo()) {
          case 0 -> negState = ASN1Enumerated.getInstance(field, true).intValueExact();
          case 2 -> responseToken = ASN1OctetString.getInstance(field, true).getOctets().length > 0;
          default -> {
            // supportedMech, mechListMIC: checked by the JDK
          }
        }
      }
      if (negState == null || negState != ACCEPT_COMPLETED && negState != ACCEPT_INCOMPLETE) {
        throw new IOException("its negState is " + negState + ", not accept-completed");
      }
      if (!responseToken) {
        throw new IOException("it carries no Kerberos reply (AP-REP)");
      }
    } catch (IllegalArgumentException | IllegalStateException | ArithmeticException | ClassCastException e) {
      throw new IOException("not a SPNEGO NegTokenResp: " + e.getMessage());
    }
  }
}
