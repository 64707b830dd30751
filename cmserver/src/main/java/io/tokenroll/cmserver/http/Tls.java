package io.tokenroll.cmserver.http;

import io.tokenroll.cmserver.ca.CertificateAuthority;
import io.tokenroll.cmserver.ca.Keys;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's TLS context: a fresh P-256 key with a certificate from its own issuing CA (SANs 127.0.0.1,
 * localhost and the configured host name), trusting client certificates under its own root.
 */
public final class Tls {
  private Tls() {
  }

  public static SSLContext serverContext(CertificateAuthority ca, String hostName, String bindAddress)
      throws GeneralSecurityException {
    KeyPair kp = Keys.generate("EC", 256);
    LinkedHashSet<String> dns = new LinkedHashSet<>(List.of(hostName, "localhost"));
    LinkedHashSet<String> ips = new LinkedHashSet<>(List.of("127.0.0.1"));
    if (bindAddress != null && bindAddress.matches("[0-9.]+") && !bindAddress.equals("0.0.0.0")) {
      ips.add(bindAddress);
    }
    X509Certificate cert = ca.tlsServerCertificate(kp.getPublic(), new ArrayList<>(dns), new ArrayList<>(ips));
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] transient_ = new char[0];
      ks.setKeyEntry("tls", kp.getPrivate(), transient_,
          new X509Certificate[] {cert, ca.keys().issuing(), ca.keys().root()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, transient_);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), trustManagers(ca.keys().root()), null);
      return ctx;
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot set up TLS", e);
    }
  }

  /** Trust managers that accept exactly {@code anchor} (and what it certifies). */
  public static javax.net.ssl.TrustManager[] trustManagers(X509Certificate... anchors)
      throws GeneralSecurityException {
    try {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      for (int i = 0; i < anchors.length; i++) {
        ts.setCertificateEntry("anchor" + i, anchors[i]);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      return tmf.getTrustManagers();
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot build a trust store", e);
    }
  }

  /** A client context trusting {@code anchors}: what tests, the benchmark and the admin CLI use. */
  public static SSLContext clientContext(X509Certificate... anchors) throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, trustManagers(anchors), null);
    return ctx;
  }
}
