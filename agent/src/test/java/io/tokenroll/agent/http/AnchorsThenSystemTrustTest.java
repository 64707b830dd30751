package io.tokenroll.agent.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenroll.pkcs11.testing.TestCertificates;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** The extra anchors first, the JDK's store only when a chain does not lead to them — and the same answers. */
class AnchorsThenSystemTrustTest {
  private record Pki(X509Certificate ca, X509Certificate leaf) {
    static Pki make(String name) throws Exception {
      KeyPair caKey = TestCertificates.caKeyPair();
      X509Certificate ca = TestCertificates.selfSigned(caKey, "CN=" + name + " CA");
      return new Pki(ca, TestCertificates.issue(caKey, ca, TestCertificates.caKeyPair().getPublic(), "CN=127.0.0.1"));
    }

    X509Certificate[] chain() {
      return new X509Certificate[] {leaf, ca};
    }
  }

  private static X509Certificate aJdkAnchor() throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    X509Certificate[] roots = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers();
    assertTrue(roots.length > 0, "the JDK's trust store is empty");
    return roots[0];
  }

  @Test
  void aChainToAnExtraAnchor_isTrusted_withoutReadingTheJdkStore() throws Exception {
    Pki ours = Pki.make("Private");
    AnchorsThenSystemTrust trust = new AnchorsThenSystemTrust(List.of(ours.ca()));
    assertDoesNotThrow(() -> trust.checkServerTrusted(ours.chain(), "ECDHE_ECDSA"));
    assertFalse(trust.systemStoreRead());
  }

  @Test
  void aJdkAnchor_isStillTrusted_besideTheExtraOnes() throws Exception {
    AnchorsThenSystemTrust trust = new AnchorsThenSystemTrust(List.of(Pki.make("Private").ca()));
    X509Certificate root = aJdkAnchor();
    assertDoesNotThrow(() -> trust.checkServerTrusted(new X509Certificate[] {root}, "RSA"));
    assertTrue(trust.systemStoreRead());
    assertTrue(List.of(trust.getAcceptedIssuers()).contains(root), "accepted issuers are both sets");
  }

  @Test
  void aChainToNeither_isRefused_asFindingNoPath() throws Exception {
    Pki stranger = Pki.make("Stranger");
    AnchorsThenSystemTrust trust = new AnchorsThenSystemTrust(List.of(Pki.make("Private").ca()));
    CertificateException e = assertThrows(CertificateException.class,
        () -> trust.checkServerTrusted(stranger.chain(), "ECDHE_ECDSA"));
    assertTrue(e.getMessage().contains("path"), e.getMessage());
    assertThrows(CertificateException.class, () -> trust.checkClientTrusted(stranger.chain(), "ECDHE_ECDSA"));
  }
}
