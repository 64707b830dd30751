package io.tokenroll.agent.http.kerberos;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.junit.jupiter.api.Test;

/** Which SPNEGO replies may go on to the JDK: only those that complete with a Kerberos token in them. */
class SpnegoReplyTest {
  static byte[] reply(Integer negState, byte[] responseToken) throws IOException {
    ASN1EncodableVector v = new ASN1EncodableVector();
    if (negState != null) {
      v.add(new DERTaggedObject(true, 0, new ASN1Enumerated(negState)));
    }
    if (responseToken != null) {
      v.add(new DERTaggedObject(true, 2, new DEROctetString(responseToken)));
    }
    return new DERTaggedObject(true, 1, new DERSequence(v)).getEncoded();
  }

  @Test
  void onlyACompletedReplyWithAResponseTokenPasses() throws Exception {
    SpnegoReply.checkCarriesProof(reply(0, new byte[] {0x6f, 0x00}));
    SpnegoReply.checkCarriesProof(reply(1, new byte[] {0x6f, 0x00}));
    // the review's forgery: request-mic with the Kerberos OID and no response token
    byte[] requestMic = Base64.getDecoder().decode("oRQwEqADCgEDoQsGCSqGSIb3EgECAg==");
    assertTrue(assertThrows(IOException.class, () -> SpnegoReply.checkCarriesProof(requestMic)).getMessage()
        .contains("negState is 3"));
    assertThrows(IOException.class, () -> SpnegoReply.checkCarriesProof(reply(0, null)), "no AP-REP");
    assertThrows(IOException.class, () -> SpnegoReply.checkCarriesProof(reply(null, new byte[] {1})), "no state");
    assertThrows(IOException.class, () -> SpnegoReply.checkCarriesProof(reply(2, new byte[] {1})), "reject");
    assertThrows(IOException.class, () -> SpnegoReply.checkCarriesProof(new byte[] {0x30, 0x00}), "not [1]");
    assertThrows(IOException.class, () -> SpnegoReply.checkCarriesProof(new byte[0]));
  }
}
