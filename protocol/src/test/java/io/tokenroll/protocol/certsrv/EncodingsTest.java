package io.tokenroll.protocol.certsrv;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncodingsTest {
  private static final byte[] DATA = new byte[70];

  static {
    for (int i = 0; i < DATA.length; i++) {
      DATA[i] = (byte) (i * 7 + 200);
    }
  }

  @Test
  void binary_isOneCharPerByte() throws Exception {
    String bstr = Encodings.encode(DATA, OutputFlags.CR_OUT_BINARY);
    assertArrayEquals(DATA, bstr.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void base64_wrapsAt64WithCrLf() {
    String b64 = Encodings.base64Lines(new byte[100]);
    assertEquals(64, b64.indexOf("\r\n"));
    assertTrue(b64.endsWith("\r\n"));
    assertEquals(b64, Encodings.base64Lines(new byte[100], "\r\n"));
  }

  @Test
  void base64Header_saysCertificateEvenForPkcs7_andCrlForCrls() throws Exception {
    String pem = Encodings.encode(DATA, OutputFlags.CR_OUT_BASE64HEADER);
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\r\n"), pem);
    assertTrue(pem.endsWith("-----END CERTIFICATE-----\r\n"), pem);
    assertEquals(4, pem.split("\r\n").length, "header, two 64-character lines (70 bytes are 96 characters), footer");
    assertTrue(Encodings.encodeCrl(DATA, OutputFlags.CR_OUT_BASE64HEADER).startsWith("-----BEGIN X509 CRL-----\r\n"));
    assertTrue(Encodings.encode(DATA, OutputFlags.CR_OUT_BASE64X509CRLHEADER).startsWith("-----BEGIN X509 CRL"));
    assertTrue(Encodings.encodeCrl(DATA, OutputFlags.CR_OUT_BASE64REQUESTHEADER)
        .startsWith("-----BEGIN NEW CERTIFICATE REQUEST-----\r\n"));
    assertFalse(Encodings.encode(DATA, OutputFlags.CR_OUT_BASE64 | OutputFlags.CR_OUT_NOCRLF).contains("\n"));
    assertTrue(Encodings.encode(DATA, OutputFlags.CR_OUT_BASE64 | OutputFlags.CR_OUT_NOCR).matches("(?s)[^\r]*\n"));
    assertTrue(Encodings.encode(DATA, OutputFlags.CR_OUT_BASE64HEADER | OutputFlags.CR_OUT_NOCR)
        .matches("(?s)-----BEGIN CERTIFICATE-----\n[^\r]*-----END CERTIFICATE-----\n"));
  }

  @Test
  void hex_isWindowsLayout() throws Exception {
    String hex = Encodings.encode(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
        OutputFlags.CR_OUT_HEX);
    assertEquals("00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f\r\n10\r\n", hex);
    assertEquals("0aff\r\n", Encodings.encode(new byte[] {10, -1}, OutputFlags.CR_OUT_HEXRAW));
  }

  @Test
  void unknownOrDumpEncodings_areRefused() {
    assertEquals(HResult.E_INVALIDARG, assertThrows(CertSrvException.class,
        () -> Encodings.encode(DATA, 0x42)).hresult());
    for (int dump : new int[] {OutputFlags.CR_OUT_HEXASCII, OutputFlags.CR_OUT_HEXADDR,
        OutputFlags.CR_OUT_HEXASCIIADDR}) {
      assertEquals(HResult.E_NOTIMPL, assertThrows(CertSrvException.class,
          () -> Encodings.encode(DATA, dump)).hresult());
    }
  }

  @Test
  void requests_decodePerTheirEncoding() throws Exception {
    String pem = Encodings.encode(DATA, OutputFlags.CR_OUT_BASE64REQUESTHEADER);
    String b64 = Encodings.encode(DATA, OutputFlags.CR_OUT_BASE64);
    String bin = new String(DATA, StandardCharsets.ISO_8859_1);
    assertArrayEquals(DATA, Encodings.decodeRequest(pem, RequestFlags.CR_IN_BASE64HEADER));
    assertArrayEquals(DATA, Encodings.decodeRequest(b64, RequestFlags.CR_IN_BASE64));
    assertArrayEquals(DATA, Encodings.decodeRequest(bin, RequestFlags.CR_IN_BINARY));
    for (String any : new String[] {pem, b64, bin}) {
      assertArrayEquals(DATA, Encodings.decodeRequest(any, RequestFlags.CR_IN_ENCODEANY));
    }
    assertArrayEquals(DATA, Encodings.decodeRequest(pem, RequestFlags.CR_IN_BASE64HEADER | RequestFlags.CR_IN_PKCS10
        | RequestFlags.CR_IN_FULLRESPONSE), "only the encoding byte counts");
  }

  @Test
  void brokenRequests_areInvalidData() {
    for (String bad : new String[] {"not*base64", "QUJD*", "QUJ", " ", "", "-----BEGIN X-----\r\n-----END X-----"}) {
      int flags = bad.startsWith("-----") ? RequestFlags.CR_IN_BASE64HEADER : RequestFlags.CR_IN_BASE64;
      assertEquals(HResult.ERROR_INVALID_DATA, assertThrows(CertSrvException.class,
          () -> Encodings.decodeRequest(bad, flags), bad).hresult(), bad);
    }
    assertEquals(HResult.ERROR_INVALID_DATA, assertThrows(CertSrvException.class,
        () -> Encodings.decodeRequest(null, RequestFlags.CR_IN_BINARY)).hresult());
    assertEquals(HResult.E_INVALIDARG, assertThrows(CertSrvException.class,
        () -> Encodings.decodeRequest("QUJD", 0x7)).hresult());
  }

  @Test
  void base64_isStrictButSkipsLineBreaksAndBlanks() {
    assertArrayEquals("ABCD".getBytes(StandardCharsets.US_ASCII), Encodings.base64(" QUJD\r\nRA==\t\n"));
    assertThrows(IllegalArgumentException.class, () -> Encodings.base64("QUJD*"));
    assertThrows(IllegalArgumentException.class, () -> Encodings.base64("QUJDR"));
    assertArrayEquals(new byte[0], Encodings.base64(""));
  }
}
