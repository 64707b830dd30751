package io.tokenroll.cmserver.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenroll.cmserver.BuiltInTemplates;
import io.tokenroll.cmserver.store.CaDatabase;
import io.tokenroll.cmserver.store.Database;
import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.CmcStatus;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.FullResponseProperty;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ICertRequest2 semantics of the CA core, with Windows' numbers: dispositions, HRESULTs, properties, flags. */
class CaSessionTest {
  private static Database db;
  private static CertificateAuthority ca;
  private static String config;

  @BeforeAll
  static void start() throws Exception {
    db = Database.open(null);
    CaSettings settings = new CaSettings("Test CA", "Test Root", "EC", 256, "SHA256", "ca.example.test");
    ca = new CertificateAuthority(CaHierarchy.loadOrCreate(new CaDatabase(db), settings), new CaDatabase(db),
        BuiltInTemplates.certificateTemplates());
    config = ca.config();
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  private static String pemCsr(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    var kp = g.generateKeyPair();
    byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), kp.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())).getEncoded();
    return "-----BEGIN NEW CERTIFICATE REQUEST-----\r\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\r\n-----END NEW CERTIFICATE REQUEST-----\r\n";
  }

  private static CaSession alice() {
    return ca.session(new Requester("alice", "alice@example.test"));
  }

  @Test
  void submitIssuesAndCachesTheResult() throws Exception {
    CaSession s = alice();
    int d = s.submit(RequestFlags.CR_IN_BASE64HEADER | RequestFlags.CR_IN_FULLRESPONSE, pemCsr(2048),
        "Certificate-Template: smartcardlogon\nOther:x", config);
    assertEquals(Disposition.CR_DISP_ISSUED, d, "attribute names ignore case, spaces and hyphens");
    assertEquals(HResult.S_OK, s.getLastStatus());
    assertTrue(s.getRequestId() > 0);
    assertEquals("Issued", s.getDispositionMessage());
    String pem = s.getCertificate(OutputFlags.CR_OUT_BASE64HEADER);
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\r\n"));
    byte[] der = s.getCertificate(OutputFlags.CR_OUT_BINARY).getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(CmcStatus.SUCCESS, s.getFullResponseProperty(FullResponseProperty.STATUS.id(), 0,
        PropType.PROPTYPE_LONG, 0));
    String hash = (String) s.getFullResponseProperty(FullResponseProperty.ISSUEDCERTIFICATEHASH.id(), 0,
        PropType.PROPTYPE_BINARY, OutputFlags.CR_OUT_BINARY);
    assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(der), hash.getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(s.getCertificate(OutputFlags.CR_OUT_BASE64 | OutputFlags.CR_OUT_CHAIN).length() > pem.length());
  }

  @Test
  void policyDenialsCarryTheirHresult() throws Exception {
    CaSession s = alice();
    assertEquals(Disposition.CR_DISP_DENIED, s.submit(RequestFlags.CR_IN_BASE64HEADER, pemCsr(1024),
        "CertificateTemplate:SmartcardLogon", config));
    assertEquals(HResult.CERTSRV_E_KEY_LENGTH, s.getLastStatus());
    assertEquals(Disposition.CR_DISP_DENIED, s.submit(RequestFlags.CR_IN_BASE64HEADER, pemCsr(2048),
        "CertificateTemplate:TemplateDenied", config));
    assertEquals(HResult.CERTSRV_E_TEMPLATE_DENIED, s.getLastStatus());
    assertTrue(s.getDispositionMessage().contains("0x80094012"));
    assertEquals(Disposition.CR_DISP_DENIED, s.submit(RequestFlags.CR_IN_BASE64HEADER, pemCsr(2048),
        "CertificateTemplate:Nope", config));
    assertEquals(HResult.CERTSRV_E_UNSUPPORTED_CERT_TYPE, s.getLastStatus());
    assertEquals(Disposition.CR_DISP_DENIED, s.submit(RequestFlags.CR_IN_BASE64HEADER, pemCsr(2048), "", config));
    assertEquals(HResult.CERTSRV_E_NO_CERT_TYPE, s.getLastStatus());
    CertSrvException e = assertThrows(CertSrvException.class, () -> s.getCertificate(0));
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, e.hresult());
  }

  @Test
  void badSignatureAndDisallowedKeyAlgorithm_areRecordedDenials() throws Exception {
    CaSession s = alice();
    String good = pemCsr(2048);
    byte[] der = Base64.getMimeDecoder().decode(good.replaceAll("-----[A-Z ]+-----", ""));
    der[der.length - 10] ^= 1; // inside the signature BIT STRING, the last element of the request
    assertEquals(Disposition.CR_DISP_DENIED, s.submit(RequestFlags.CR_IN_BINARY,
        new String(der, StandardCharsets.ISO_8859_1), "CertificateTemplate:SmartcardLogon", config));
    assertEquals(HResult.NTE_BAD_SIGNATURE, s.getLastStatus());
    assertTrue(s.getRequestId() > 0, "a verdict is recorded with a request id");

    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    var kp = ec.generateKeyPair();
    byte[] ecCsr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ec"), kp.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
    assertEquals(Disposition.CR_DISP_DENIED, s.submit(RequestFlags.CR_IN_BINARY,
        new String(ecCsr, StandardCharsets.ISO_8859_1), "CertificateTemplate:KeyRecoveryEncryption", config));
    assertEquals(HResult.CERTSRV_E_WEAK_SIGNATURE_OR_KEY, s.getLastStatus(), "the template allows RSA only");
  }

  @Test
  void pendingFullResponseAndRetrievePending() throws Exception {
    CaSession s = alice();
    assertEquals(Disposition.CR_DISP_UNDER_SUBMISSION, s.submit(RequestFlags.CR_IN_BASE64HEADER
        | RequestFlags.CR_IN_FULLRESPONSE, pemCsr(2048), "CertificateTemplate:ManagerApproval", config));
    assertEquals(CmcStatus.PENDING, s.getFullResponseProperty(FullResponseProperty.STATUS.id(), 0,
        PropType.PROPTYPE_LONG, 0));
    assertEquals(CmcStatus.OTHER_INFO_PEND_CHOICE, s.getFullResponseProperty(FullResponseProperty.OTHERINFOCHOICE
        .id(), 0, PropType.PROPTYPE_LONG, 0));
    int id = s.getRequestId();
    CaSession later = alice();
    assertEquals(Disposition.CR_DISP_UNDER_SUBMISSION, later.retrievePending(id, config));
    ca.deny(id, "no");
    assertEquals(Disposition.CR_DISP_DENIED, later.retrievePending(id, config));
    assertEquals(HResult.CERTSRV_E_ADMIN_DENIED_REQUEST, later.getLastStatus());
    assertEquals(CmcStatus.FAILED, later.getFullResponseProperty(FullResponseProperty.STATUS.id(), 0,
        PropType.PROPTYPE_LONG, 0));

    CertSrvException unknown = assertThrows(CertSrvException.class, () -> later.retrievePending(987654, config));
    assertEquals(HResult.CERTSRV_E_PROPERTY_EMPTY, unknown.hresult());
    CertSrvException other = assertThrows(CertSrvException.class, () -> ca.session(new Requester("bob", null))
        .retrievePending(id, config));
    assertEquals(HResult.E_ACCESSDENIED, other.hresult());
    CertSrvException badConfig = assertThrows(CertSrvException.class, () -> later.retrievePending(id, "x\\y"));
    assertEquals(HResult.E_INVALIDARG, badConfig.hresult());
  }

  @Test
  void caPropertiesWithWindowsTypesAndFlags() throws Exception {
    CaSession s = alice();
    assertEquals(PropType.PROPTYPE_BINARY | PropType.PROPFLAGS_INDEXED,
        s.getCAPropertyFlags(config, CaProperty.CASIGCERT.id()));
    assertEquals(PropType.PROPTYPE_STRING, s.getCAPropertyFlags(config, CaProperty.CANAME.id()));
    assertEquals("Test CA", s.getCAProperty(config, CaProperty.CANAME.id(), 0, PropType.PROPTYPE_STRING, 0));
    assertEquals(1, s.getCAProperty(config, CaProperty.CASIGCERTCOUNT.id(), 0, PropType.PROPTYPE_LONG, 0));
    assertEquals(PropType.CA_DISP_VALID, s.getCAProperty(config, CaProperty.CRLSTATE.id(), 0,
        PropType.PROPTYPE_LONG, 0));
    String templates = (String) s.getCAProperty(config, CaProperty.TEMPLATES.id(), 0, PropType.PROPTYPE_STRING, 0);
    assertTrue(templates.startsWith("SmartcardLogon\n1.3.6.1.4.1.311.21.8."));
    byte[] cert = ((String) s.getCAProperty(config, CaProperty.CASIGCERT.id(), 0, PropType.PROPTYPE_BINARY,
        OutputFlags.CR_OUT_BINARY)).getBytes(StandardCharsets.ISO_8859_1);
    assertArrayEquals(ca.keys().issuing().getEncoded(), cert);
    assertEquals(HResult.E_INVALIDARG, assertThrows(CertSrvException.class, () -> s.getCAProperty(config,
        CaProperty.CANAME.id(), 0, PropType.PROPTYPE_LONG, 0)).hresult(), "wrong PropType");
    assertEquals(HResult.E_INVALIDARG, assertThrows(CertSrvException.class, () -> s.getCAProperty(config,
        CaProperty.CASIGCERT.id(), 3, PropType.PROPTYPE_BINARY, 0)).hresult(), "no such index");
    assertEquals("CA Name", s.getCAPropertyDisplayName(config, CaProperty.CANAME.id()));
    assertTrue(s.getErrorMessageText(HResult.CERTSRV_E_TEMPLATE_DENIED, OutputFlags.CR_GEMT_HRESULT_STRING)
        .endsWith("0x80094012 (-2146877422)"));
    assertTrue(s.getCACertificate(0, config, OutputFlags.CR_OUT_BASE64HEADER).startsWith("-----BEGIN CERTIFICATE"));
  }

  @Test
  void malformedRequestsAreErrorsNotRecords() {
    CaSession s = alice();
    assertEquals(HResult.ERROR_INVALID_DATA, assertThrows(CertSrvException.class, () -> s.submit(
        RequestFlags.CR_IN_BASE64, "bm90IGEgcmVxdWVzdA==", "CertificateTemplate:User", config)).hresult());
    assertEquals(HResult.ERROR_INVALID_DATA, assertThrows(CertSrvException.class, () -> s.submit(
        RequestFlags.CR_IN_BASE64 | RequestFlags.CR_IN_CMC, "AAAA", "", config)).hresult());
  }
}
