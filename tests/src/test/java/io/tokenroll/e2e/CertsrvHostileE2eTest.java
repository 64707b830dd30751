package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.certsrv.CertsrvClient;
import io.tokenroll.agent.certsrv.CertsrvConnector;
import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.RetryPolicy;
import io.tokenroll.agent.http.TlsSettings;
import io.tokenroll.cmserver.faults.CmFaults;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile and broken /certsrv answers, injected by cmserver's fault hooks: each must end in a CertSrvException
 * with a clear message and the HRESULT a Windows client would report — never in a disposition that looks fine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertsrvHostileE2eTest {
  private static final String FINISH = "/certsrv/certfnsh\\.asp$";
  private static final String CER = "/certsrv/certnew\\.cer$";
  private static final String P7B = "/certsrv/certnew\\.p7b$";
  private static final String CARC = "/certsrv/certcarc\\.asp$";
  private static final String CRL = "/certsrv/certcrl\\.crl$";

  private Stack stack;
  private String config;
  private String csr;
  private byte[] leaf;
  private byte[] caChain;

  @BeforeAll
  void start() throws Exception {
    stack = new Stack("certsrv-hostile");
    config = stack.server.baseUri() + "certsrv";
    csr = CertsrvCsrs.pem(CertsrvCsrs.rsa());
    CertsrvClient c = client(CertsrvConnector.DEFAULT_MAX_BODY, Duration.ofSeconds(20));
    c.submit(RequestFlags.CR_IN_BASE64HEADER, csr, "CertificateTemplate:User", config);
    leaf = c.getCertificate(OutputFlags.CR_OUT_BINARY).getBytes(StandardCharsets.ISO_8859_1);
    caChain = c.getCACertificate(0, config, OutputFlags.CR_OUT_CHAIN | OutputFlags.CR_OUT_BINARY)
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  /** Arms the faults on the server. */
  @FunctionalInterface
  interface Arm {
    void on(CmFaults faults) throws Exception;
  }

  /** What the client is asked to do once the faults are armed. */
  @FunctionalInterface
  interface Act {
    void on(CertsrvClient client) throws Exception;
  }

  record Case(String name, Arm arm, Act act, int hresult, String message) {
  }

  private CertsrvClient client(long maxBody, Duration timeout) {
    return new CertsrvClient(new CertsrvConnector(TlsSettings.verifying(stack.server.trustAnchors()),
        Credentials.basic(stack.user, Backends.readSecret(stack.password).toCharArray()), RetryPolicy.NONE, timeout,
        maxBody));
  }

  private static byte[] html(String body) {
    return ("<html><head><title>Microsoft Active Directory Certificate Services</title></head><body>" + body
        + "</body></html>").getBytes(StandardCharsets.UTF_8);
  }

  private static UnaryOperator<byte[]> text(UnaryOperator<String> edit) {
    return b -> edit.apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
  }

  private Act submit(String template) {
    return c -> c.submit(RequestFlags.CR_IN_BASE64HEADER, csr, "CertificateTemplate:" + template, config);
  }

  /** Submits for real (issued), then asks for the certificate with {@code flags}. */
  private Act certificate(int flags) {
    return c -> {
      assertEquals(Disposition.CR_DISP_ISSUED, c.submit(RequestFlags.CR_IN_BASE64HEADER, csr,
          "CertificateTemplate:User", config));
      c.getCertificate(flags);
    };
  }

  private Act property(CaProperty p, int type) {
    return c -> c.getCAProperty(config, p.id(), 0, type, OutputFlags.CR_OUT_BINARY);
  }

  private List<Case> cases() {
    int invalid = HResult.ERROR_INVALID_DATA;
    byte[] json = "{\"Message\":\"An error has occurred.\"}".getBytes(StandardCharsets.UTF_8);
    return List.of(
        new Case("a page that is not web enrollment", f -> f.replaceResponse("POST", FINISH, 1, 200, "text/html",
            html("Welcome to nginx!")), submit("User"), invalid, "neither an issued"),
        new Case("issued and denied at once", f -> f.transformResponse("POST", FINISH, 1,
            text(s -> s + "<P>Your certificate request was denied.")), submit("User"), invalid, "says both"),
        new Case("two different request ids", f -> f.transformResponse("POST", FINISH, 1,
            text(s -> s.replaceFirst("ReqID=(\\d+)&", "ReqID=9$1&"))), submit("User"), invalid, "different"),
        new Case("pending with an error code", f -> f.transformResponse("POST", FINISH, 1,
            text(s -> s + "<P>0x80094012 (-2146877422)")), submit("ManagerApproval"), invalid, "pending but"),
        new Case("an HRESULT whose hex and decimal disagree", f -> f.transformResponse("POST", FINISH, 1,
            text(s -> s.replace("(-2146877422)", "(-2146877423)"))), submit("TemplateDenied"), invalid,
            "different number"),
        new Case("JSON instead of HTML", f -> f.replaceResponse("POST", FINISH, 1, 200, "application/json", json),
            submit("User"), invalid, "Content-Type 'application/json'"),
        new Case("service unavailable", f -> f.replaceResponse("POST", FINISH, 1, 503, "text/html", html("busy")),
            submit("User"), HResult.HTTP_E_STATUS_SERVICE_UNAVAIL, "503"),
        new Case("an unexpected status", f -> f.replaceResponse("POST", FINISH, 1, 204, "text/html", new byte[0]),
            submit("User"), HResult.HTTP_E_STATUS_UNEXPECTED, "HTTP 204"),
        new Case("a dropped connection", f -> f.dropConnection("POST", FINISH, 2), submit("User"),
            HResult.ERROR_WINHTTP_CONNECTION_ERROR, "certfnsh.asp"),
        new Case("a certificate as text/plain", f -> f.replaceResponse("GET", CER, 1, 200, "text/plain",
            "-----BEGIN CERTIFICATE-----".getBytes(StandardCharsets.US_ASCII)), certificate(OutputFlags.CR_OUT_BINARY),
            invalid, "Content-Type 'text/plain'"),
        new Case("a truncated certificate", f -> f.transformResponse("GET", CER, 1,
            b -> Arrays.copyOf(b, b.length / 2)), certificate(OutputFlags.CR_OUT_BINARY), invalid, "DER X.509"),
        new Case("a certificate with trailing bytes", f -> f.transformResponse("GET", CER, 1,
            b -> Arrays.copyOf(b, b.length + 3)), certificate(OutputFlags.CR_OUT_BINARY), invalid, "trailing"),
        new Case("an HTML page that reports nothing", f -> f.replaceResponse("GET", CER, 1, 200, "text/html",
            html("<script>location='/login'</script>")), certificate(OutputFlags.CR_OUT_BINARY), invalid,
            "neither the expected data"),
        new Case("a chain without the certificate", f -> f.transformResponse("GET", P7B, 1, b -> caChain),
            certificate(OutputFlags.CR_OUT_CHAIN | OutputFlags.CR_OUT_BINARY), invalid, "does not hold"),
        new Case("a chain that is not PKCS#7", f -> f.replaceResponse("GET", P7B, 1, 200,
            "application/x-pkcs7-certificates", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}),
            certificate(OutputFlags.CR_OUT_CHAIN), invalid, "PKCS#7"),
        new Case("a CA page without nRenewals", f -> f.replaceResponse("GET", CARC, 1, 200, "text/html",
            html("<script>var x=1;</script>")), c -> c.getCACertificate(0, config, 0), invalid, "nRenewals"),
        new Case("two nRenewals", f -> f.transformResponse("GET", CARC, 1, text(s -> s + "var nRenewals=3;")),
            c -> c.getCACertificate(0, config, 0), invalid, "different nRenewals"),
        new Case("a CA certificate that is no CA", f -> f.transformResponse("GET", CER, 1, b -> leaf),
            c -> c.getCACertificate(0, config, 0), invalid, "not a CA certificate"),
        new Case("a CRL that is HTML", f -> f.replaceResponse("GET", CRL, 1, 200, "text/html", html("oops")),
            property(CaProperty.BASECRL, PropType.PROPTYPE_BINARY), invalid, "neither the expected data"),
        new Case("a CRL that is a certificate", f -> f.replaceResponse("GET", CRL, 1, 200, "application/pkix-crl",
            stack.server.trustAnchors().get(1).getEncoded()), property(CaProperty.BASECRL,
            PropType.PROPTYPE_BINARY), invalid, "DER CRL"));
  }

  @TestFactory
  Stream<DynamicTest> everyHostileAnswer_isAClearFailure() {
    return cases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
      CertsrvClient client = client(CertsrvConnector.DEFAULT_MAX_BODY, Duration.ofSeconds(20));
      stack.server.faults().clear();
      k.arm().on(stack.server.faults());
      try {
        CertSrvException e = assertThrows(CertSrvException.class, () -> k.act().on(client), k.name());
        assertEquals(k.hresult(), e.hresult(), e.getMessage());
        assertTrue(e.getMessage().contains(k.message()), e.getMessage());
      } finally {
        stack.server.faults().clear();
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> sizeAndTime_areBounded() {
    return Stream.of(
        DynamicTest.dynamicTest("an answer over the size cap", () -> {
          stack.server.faults().replaceResponse("POST", FINISH, 1, 200, "text/html", html("x".repeat(20_000)));
          CertsrvClient small = client(8192, Duration.ofSeconds(20));
          CertSrvException e = assertThrows(CertSrvException.class, () -> submit("User").on(small));
          assertEquals(HResult.ERROR_INVALID_DATA, e.hresult());
          assertTrue(e.getMessage().contains("larger than 8192"), e.getMessage());
          assertEquals(HResult.ERROR_INVALID_DATA, small.getLastStatus());
          stack.server.faults().clear();
        }),
        DynamicTest.dynamicTest("an answer that comes too late", () -> {
          stack.server.faults().delay("POST", FINISH, 1, Duration.ofSeconds(3));
          CertsrvClient impatient = client(CertsrvConnector.DEFAULT_MAX_BODY, Duration.ofSeconds(1));
          CertSrvException e = assertThrows(CertSrvException.class, () -> submit("User").on(impatient));
          assertEquals(HResult.ERROR_WINHTTP_TIMEOUT, e.hresult(), e.getMessage());
          assertEquals(0, impatient.getRequestId());
          stack.server.faults().clear();
        }));
  }
}
