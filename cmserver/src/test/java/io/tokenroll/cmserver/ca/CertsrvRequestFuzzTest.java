package io.tokenroll.cmserver.ca;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Encodings;
import io.tokenroll.protocol.certsrv.RequestFlags;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * What the CA reads of a submitted request (ICertRequest2::Submit over /certsrv): the request in any CR_IN
 * encoding, its PKCS#10 and its signature, and the attribute lines. Refusals are {@link CertSrvException} (an
 * HRESULT for the client) or a decoder's IOException/IllegalArgumentException, which the CA turns into one.
 */
class CertsrvRequestFuzzTest {
  private static final int[] ENCODINGS = {RequestFlags.CR_IN_BASE64HEADER, RequestFlags.CR_IN_BASE64,
      RequestFlags.CR_IN_BINARY, RequestFlags.CR_IN_ENCODEANY};

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void submit(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int flags = ENCODINGS[(data[0] & 0xff) % ENCODINGS.length]; // the first byte picks the encoding
    String rest = new String(data, 1, data.length - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
    int nul = rest.indexOf('\0'); // "request NUL attribute lines", as Submit takes them
    String request = nul < 0 ? rest : rest.substring(0, nul);
    String attributes = nul < 0 ? "" : rest.substring(nul + 1);
    CaSession.parseAttributes(attributes);
    byte[] der;
    try {
      der = Encodings.decodeRequest(request, flags);
    } catch (CertSrvException refused) {
      return;
    }
    try {
      JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(der);
      CsrSignatures.valid(csr, csr.getPublicKey());
    } catch (java.io.IOException | IllegalArgumentException | IllegalStateException
             | java.security.GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
             | org.bouncycastle.pkcs.PKCSException refused) {
      // refused by the CA with NTE_BAD_SIGNATURE / ERROR_INVALID_DATA
    }
  }
}
