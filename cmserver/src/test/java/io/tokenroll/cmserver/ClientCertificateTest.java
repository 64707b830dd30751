package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenroll.cmserver.http.Tls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** A TLS client certificate issued by the CA, with the user's UPN, authenticates as that user. */
class ClientCertificateTest {
  @Test
  void upnOfTheClientCertificateNamesTheUser() throws Exception {
    try (CmServer server = Servers.start()) {
      TestClient alice = Servers.alice(server);
      UUID id = Flows.enroll(alice, BuiltInTemplates.SOFTWARE_USER);
      var kp = Csrs.rsa(2048);
      var item = TestClient.json(Flows.certificateData(alice, id, "", Csrs.csr(kp, "SHA256withRSA"))).get(0);
      X509Certificate leaf = DispositionTest.leafOf(item.get("Pkcs7").asText(), kp.getPublic());

      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("me", kp.getPrivate(), new char[0], new X509Certificate[] {leaf, server.trustAnchors().get(1)});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), Tls.trustManagers(server.trustAnchors().get(0)), null);
      HttpClient http = HttpClient.newBuilder().sslContext(ctx).build();
      URI uri = server.baseUri().resolve(TestClient.API + "requests/" + id);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(id.toString(), TestClient.JSON.readTree(r.body()).get("Uuid").asText());
    }
  }
}
