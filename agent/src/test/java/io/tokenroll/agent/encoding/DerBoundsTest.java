package io.tokenroll.agent.encoding;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.response.InvalidResponseException;
import io.tokenroll.agent.response.PfxContents;
import io.tokenroll.agent.response.ResponseParser;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hostile-test finding 2: nested ASN.1 overflowed the decoders' stacks (inspect, and enroll in INSTALLING). */
public class DerBoundsTest {
  static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 128) {
      out.write(n);
    } else {
      byte[] len = java.math.BigInteger.valueOf(n).toByteArray();
      int skip = len[0] == 0 ? 1 : 0;
      out.write(0x80 | (len.length - skip));
      out.write(len, skip, len.length - skip);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** {@code depth} SEQUENCEs inside each other: 2,000 of them are 7.8 KB. */
  public static byte[] nested(int depth) {
    byte[] x = new byte[0];
    for (int i = 0; i < depth; i++) {
      x = tlv(0x30, x);
    }
    return x;
  }

  static byte[] vector(String name) throws Exception {
    try (InputStream in = DerBoundsTest.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void deepNesting_isRefusedWithAMessage_beforeAnyDecoderSeesIt() {
    var e = assertThrows(DerBounds.TooComplexException.class, () -> DerBounds.check(nested(2000), "the PKCS#7"));
    assertTrue(e.getMessage().contains("nested deeper than " + DerBounds.MAX_DEPTH), e.getMessage());
    assertThrows(InvalidResponseException.class, () -> ResponseParser.parse(nested(2000)));
    assertThrows(InvalidResponseException.class, () -> ResponseParser.parse(nested(20000)));
    assertThrows(InvalidResponseException.class, () -> PfxContents.open(nested(5000), "x".toCharArray()));
    assertThrows(CertificateException.class, () -> Pem.certificates(nested(5000)));
  }

  @Test
  void nestingInsideAnOctetString_counts_asDecodersParseItInTurn() {
    byte[] wrapped = tlv(0x30, tlv(0x04, nested(DerBounds.MAX_DEPTH)));
    var e = assertThrows(DerBounds.TooComplexException.class, () -> DerBounds.check(wrapped, "x"));
    assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    byte[] inBitString = tlv(0x30, tlv(0x03, concat(new byte[] {0}, nested(DerBounds.MAX_DEPTH))));
    assertThrows(DerBounds.TooComplexException.class, () -> DerBounds.check(inBitString, "x"));
  }

  /** A BER OCTET STRING in chunks is joined by decoders (eContent → PKIResponse): the walk joins it too. */
  @Test
  void nestingSplitAcrossChunksOfAString_counts() throws Exception {
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    chunks.write(0x24);
    chunks.write(0x80);
    for (int i = 0; i < 200; i++) {
      byte[] piece = new byte[80];
      for (int j = 0; j < 80; j += 2) {
        piece[j] = 0x30;
        piece[j + 1] = (byte) 0x80;
      }
      chunks.writeBytes(tlv(0x04, piece));
    }
    chunks.write(0);
    chunks.write(0);
    byte[] input = tlv(0x30, chunks.toByteArray());
    var e = assertThrows(DerBounds.TooComplexException.class, () -> DerBounds.check(input, "x"));
    assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    byte[] shallowChunks = tlv(0x30, tlv(0x24, concat(tlv(0x04, new byte[] {0x30, 0x03}),
        tlv(0x04, new byte[] {0x02, 0x01, 0x05}))));
    DerBounds.check(shallowChunks, "a chunked string holding a small SEQUENCE");
  }

  /** Decoders read the first value and ignore the rest (a DER file ending in a newline): so does the check. */
  @Test
  void bytesAfterTheFirstValue_areLeftToTheDecoder() throws Exception {
    DerBounds.check(concat(vector("mimdocs_example_csr.der"), "\n".getBytes()), "a CSR file with a newline");
    DerBounds.check(concat(nested(3), new byte[] {1, 2, 3}), "x");
  }

  @Test
  void indefiniteLengths_areWalked_andStillBounded() throws Exception {
    byte[] shallow = {0x30, (byte) 0x80, 0x30, (byte) 0x80, 0x02, 0x01, 0x05, 0, 0, 0, 0};
    DerBounds.check(shallow, "x");
    ByteArrayOutputStream deep = new ByteArrayOutputStream();
    for (int i = 0; i < 3000; i++) {
      deep.write(0x30);
      deep.write(0x80);
    }
    for (int i = 0; i < 3000; i++) {
      deep.write(0);
      deep.write(0);
    }
    assertThrows(DerBounds.TooComplexException.class, () -> DerBounds.check(deep.toByteArray(), "x"));
    assertThrows(InvalidResponseException.class, () -> ResponseParser.parse(deep.toByteArray()));
  }

  @Test
  void lengthsThatDoNotAddUp_areRefused() {
    byte[] truncated = Arrays.copyOf(nested(10), 15);
    assertThrows(DerBounds.TooComplexException.class, () -> DerBounds.check(truncated, "x"));
    assertThrows(DerBounds.TooComplexException.class,
        () -> DerBounds.check(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, "x"));
    assertThrows(DerBounds.TooComplexException.class, () -> DerBounds.check(new byte[] {0x04, (byte) 0x80}, "x"));
  }

  @Test
  void realMimAnswers_pass() throws Exception {
    DerBounds.check(vector("mimdocs_example_cmc_response.p7"), "the CMC response");
    DerBounds.check(vector("mimdocs_example_csr.der"), "the CSR");
    for (Pem.Block b : Pem.decode(new String(vector("mimdocs_example_chain.pem")))) {
      DerBounds.check(b.der(), "a certificate");
    }
    DerBounds.check(nested(DerBounds.MAX_DEPTH), "as deep as allowed");
  }

  @Test
  void aTruncatedPfx_saysSo_neverNull() throws Exception {
    var ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("c", Pem.certificates(vector("mimdocs_example_chain.pem")).get(0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, "pw".toCharArray());
    byte[] pfx = out.toByteArray();
    for (int cut : new int[] {pfx.length / 2, pfx.length - 1, 8}) {
      var e = assertThrows(InvalidResponseException.class,
          () -> PfxContents.open(Arrays.copyOf(pfx, cut), "pw".toCharArray()));
      assertFalse(e.getMessage().contains("null"), e.getMessage());
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
