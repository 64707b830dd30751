package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.Test;

/** AD CS Web Enrollment as certsrv-py, Certipy and impacket talk to it (reference §4.2), their regexes included. */
class CertSrvTest extends ServerTest {

  private static HttpResponse<byte[]> submit(String pem, String attributes) throws Exception {
    String form = "Mode=newreq&CertRequest=" + URLEncoder.encode(pem, StandardCharsets.UTF_8) + "&CertAttrib="
        + URLEncoder.encode(attributes, StandardCharsets.UTF_8) + "&FriendlyType=Saved-Request+Certificate"
        + "&TargetStoreFlags=0&SaveCert=yes&ThumbPrint=";
    return alice.send("POST", "certsrv/certfnsh.asp", "application/x-www-form-urlencoded",
        form.getBytes(StandardCharsets.US_ASCII));
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }

  private static int match(String regex, String html) {
    Matcher m = Pattern.compile(regex).matcher(html);
    assertTrue(m.find(), "no match for " + regex + " in " + html);
    return Integer.parseInt(m.group(1));
  }

  @Test
  void homePageIsAnAuthenticationProbe() throws Exception {
    assertEquals(401, new TestClient(server, null, null).get("certsrv/").statusCode());
    assertEquals(401, new TestClient(server, "alice", "nope").get("certsrv/").statusCode());
    assertEquals(200, alice.get("certsrv/").statusCode());
  }

  @Test
  void issuedRequestAndRetrieval() throws Exception {
    var kp = Csrs.rsa(2048);
    HttpResponse<byte[]> r = submit(pem(Csrs.csr(kp, "SHA256withRSA")), "CertificateTemplate:User\r\nSAN:upn=x@y");
    assertEquals(200, r.statusCode());
    int id = match("certnew.cer\\?ReqID=(\\d+)&", TestClient.text(r));

    HttpResponse<byte[]> b64 = alice.get("certsrv/certnew.cer?ReqID=" + id + "&Enc=b64");
    assertEquals("application/pkix-cert", b64.headers().firstValue("Content-Type").orElse(""));
    assertTrue(TestClient.text(b64).startsWith("-----BEGIN CERTIFICATE-----\r\n"));
    X509Certificate leaf = cert(b64.body());
    assertEquals(kp.getPublic(), leaf.getPublicKey());

    HttpResponse<byte[]> bin = alice.get("certsrv/certnew.cer?ReqID=" + id + "&Enc=bin");
    assertEquals(leaf, cert(bin.body()));
    HttpResponse<byte[]> p7b = alice.get("certsrv/certnew.p7b?ReqID=" + id + "&Enc=bin");
    assertEquals("application/x-pkcs7-certificates", p7b.headers().firstValue("Content-Type").orElse(""));
    assertEquals(3, new CMSSignedData(p7b.body()).getCertificates().getMatches(null).size(), "leaf and chain");
  }

  @Test
  void pendingThenIssuedByTheCaManager() throws Exception {
    HttpResponse<byte[]> r = submit(pem(Csrs.csr(Csrs.rsa(2048), "SHA256withRSA")),
        "CertificateTemplate:ManagerApproval");
    String html = TestClient.text(r);
    assertTrue(html.contains("Certificate Pending"));
    int id = match("Your Request Id is (\\d+)\\.", html);
    String pending = TestClient.text(alice.get("certsrv/certnew.cer?ReqID=" + id + "&Enc=b64"));
    assertTrue(pending.contains("Taken Under Submission"), pending);

    server.admin().approveCaRequest(id);
    HttpResponse<byte[]> check = alice.send("POST", "certsrv/certfnsh.asp", "application/x-www-form-urlencoded",
        ("Mode=chkpnd&ReqID=" + id).getBytes(StandardCharsets.US_ASCII));
    assertEquals(id, match("certnew.cer\\?ReqID=(\\d+)&", TestClient.text(check)));
    assertEquals("application/pkix-cert", alice.get("certsrv/certnew.cer?ReqID=" + id + "&Enc=bin").headers()
        .firstValue("Content-Type").orElse(""));
  }

  @Test
  void deniedAndUnknown() throws Exception {
    String denied = TestClient.text(submit(pem(Csrs.csr(Csrs.rsa(2048), "SHA256withRSA")),
        "CertificateTemplate:TemplateDenied"));
    assertTrue(denied.contains("The disposition message is \"Denied by Policy Module"), denied);
    assertTrue(Pattern.compile(" (0x[0-9a-fA-F]+) \\(").matcher(denied).find());
    assertTrue(denied.contains(" 0x80094012 (-2146877422)"), denied);

    String unsupported = TestClient.text(submit(pem(Csrs.csr(Csrs.rsa(2048), "SHA256withRSA")),
        "CertificateTemplate:NoSuchTemplate"));
    assertTrue(unsupported.contains("template that is not supported") || unsupported.contains("0x80094800"),
        unsupported);

    String unknown = TestClient.text(alice.get("certsrv/certnew.cer?ReqID=999999&Enc=b64"));
    assertTrue(unknown.contains("The requested property value is empty"), unknown);
    assertTrue(unknown.contains("Disposition message:"));

    HttpResponse<byte[]> bobsView = Servers.bob(server).get("certsrv/certnew.cer?ReqID=1&Enc=b64");
    assertTrue(TestClient.text(bobsView).contains("0x80070005"), "another user's request is not theirs to fetch");
  }

  @Test
  void caCertificateChainAndCrl() throws Exception {
    String carc = TestClient.text(alice.get("certsrv/certcarc.asp"));
    int renewals = match("var nRenewals=(\\d+);", carc);
    assertEquals(0, renewals);
    HttpResponse<byte[]> ca = alice.get("certsrv/certnew.cer?ReqID=CACert&Enc=b64&Renewal=" + renewals);
    assertEquals("application/pkix-cert", ca.headers().firstValue("Content-Type").orElse(""));
    assertEquals(server.trustAnchors().get(1), cert(ca.body()));
    assertEquals(server.trustAnchors().get(1), cert(alice.get("certsrv/certnew.cer?ReqID=CACert&Enc=bin&Renewal=-1")
        .body()));
    HttpResponse<byte[]> chain = alice.get("certsrv/certnew.p7b?ReqID=CACert&Renewal=0&Enc=bin");
    assertEquals("application/x-pkcs7-certificates", chain.headers().firstValue("Content-Type").orElse(""));
    assertEquals(2, new CMSSignedData(chain.body()).getCertificates().getMatches(null).size());
    assertTrue(TestClient.text(alice.get("certsrv/certnew.cer?ReqID=CACert&Enc=bin&Renewal=1")).contains("0x80070057"));

    HttpResponse<byte[]> crl = alice.get("certsrv/certcrl.crl?Type=base&Renewal=0&Enc=bin");
    X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
        new ByteArrayInputStream(crl.body()));
    parsed.verify(server.trustAnchors().get(1).getPublicKey());
    assertTrue(TestClient.text(alice.get("certsrv/certcrl.crl?Type=delta&Renewal=0&Enc=bin"))
        .contains("The requested property value is empty"));
  }

  private static X509Certificate cert(byte[] body) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(body));
  }
}
