package io.tokenroll.agent.certsrv;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.certsrv.BstrEncoding.Kind;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BstrEncodingTest {
  private static final byte[] DATA = new byte[70];

  static {
    for (int i = 0; i < DATA.length; i++) {
      DATA[i] = (byte) (i * 7 + 200);
    }
  }

  @Test
  void binary_isOneCharPerByte() throws Exception {
    String bstr = BstrEncoding.encode(DATA, OutputFlags.CR_OUT_BINARY, Kind.CERTIFICATE);
    assertArrayEquals(DATA, bstr.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void base64Header_saysCertificateEvenForPkcs7_andCrlForCrls() throws Exception {
    String pem = BstrEncoding.encode(DATA, OutputFlags.CR_OUT_BASE64HEADER, Kind.PKCS7);
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\r\n"), pem);
    assertTrue(pem.endsWith("-----END CERTIFICATE-----\r\n"), pem);
    assertEquals(4, pem.split("\r\n").length, "header, two 64-character lines (70 bytes are 96 characters), footer");
    assertTrue(BstrEncoding.encode(DATA, OutputFlags.CR_OUT_BASE64HEADER, Kind.CRL).startsWith("-----BEGIN X509 CRL"));
    assertFalse(BstrEncoding.encode(DATA, OutputFlags.CR_OUT_BASE64 | OutputFlags.CR_OUT_NOCRLF, Kind.CERTIFICATE)
        .contains("\n"));
    assertTrue(BstrEncoding.encode(DATA, OutputFlags.CR_OUT_BASE64 | OutputFlags.CR_OUT_NOCR, Kind.CERTIFICATE)
        .matches("(?s)[^\r]*\n"));
  }

  @Test
  void hex_isWindowsLayout() throws Exception {
    String hex = BstrEncoding.encode(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
        OutputFlags.CR_OUT_HEX, Kind.CERTIFICATE);
    assertEquals("00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f\r\n10\r\n", hex);
    assertEquals("0aff\r\n", BstrEncoding.encode(new byte[] {10, -1}, OutputFlags.CR_OUT_HEXRAW, Kind.CERTIFICATE));
  }

  @Test
  void unknownOrDumpEncodings_areRefused() {
    assertEquals(HResult.E_INVALIDARG, assertThrows(CertSrvException.class,
        () -> BstrEncoding.encode(DATA, 0x42, Kind.CERTIFICATE)).hresult());
    assertEquals(HResult.E_NOTIMPL, assertThrows(CertSrvException.class,
        () -> BstrEncoding.encode(DATA, OutputFlags.CR_OUT_HEXASCIIADDR, Kind.CERTIFICATE)).hresult());
  }

  @Test
  void requests_decodePerTheirEncoding() throws Exception {
    String pem = BstrEncoding.encode(DATA, OutputFlags.CR_OUT_BASE64REQUESTHEADER, Kind.CERTIFICATE);
    String b64 = BstrEncoding.encode(DATA, OutputFlags.CR_OUT_BASE64, Kind.CERTIFICATE);
    String bin = new String(DATA, StandardCharsets.ISO_8859_1);
    assertArrayEquals(DATA, BstrEncoding.decodeRequest(pem, RequestFlags.CR_IN_BASE64HEADER));
    assertArrayEquals(DATA, BstrEncoding.decodeRequest(b64, RequestFlags.CR_IN_BASE64));
    assertArrayEquals(DATA, BstrEncoding.decodeRequest(bin, RequestFlags.CR_IN_BINARY));
    for (String any : new String[] {pem, b64, bin}) {
      assertArrayEquals(DATA, BstrEncoding.decodeRequest(any, RequestFlags.CR_IN_ENCODEANY));
    }
    assertEquals(HResult.ERROR_INVALID_DATA, assertThrows(CertSrvException.class,
        () -> BstrEncoding.decodeRequest("not*base64", RequestFlags.CR_IN_BASE64)).hresult());
    assertEquals(HResult.ERROR_INVALID_DATA, assertThrows(CertSrvException.class,
        () -> BstrEncoding.decodeRequest(" ", RequestFlags.CR_IN_BASE64)).hresult());
  }

  @Test
  void config_isTheWebEnrollmentUrl() throws Exception {
    assertEquals(URI.create("https://ca.example.com/certsrv/"),
        CertsrvConnector.parseConfig(" https://ca.example.com/certsrv "));
    assertEquals(URI.create("https://ca.example.com:8443/"),
        CertsrvConnector.parseConfig("https://ca.example.com:8443"));
    for (String bad : new String[] {"", "ca.example.com\\Contoso CA", "ftp://ca/certsrv", "https://u:p@ca/certsrv",
        "https://ca/certsrv?x=1", "https:///certsrv"}) {
      CertSrvException e = assertThrows(CertSrvException.class, () -> CertsrvConnector.parseConfig(bad), bad);
      assertEquals(HResult.E_INVALIDARG, e.hresult(), bad);
    }
  }
}
