package io.tokenroll.agent.http;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server whose chain leads to one of the extra anchors (a private CA, {@code --trust}) or, failing that, to
 * the JDK's trust store: the answer of one trust manager over both sets, but the JDK's store — about 150
 * certificates read and indexed, 20–35 ms of a cold CLI run (profiled) — is read only when a chain does not lead to
 * the extra anchors, which a deployment with a private CA never needs. Both checks are the JDK's own, host name and
 * algorithm constraints included.
 */
final class AnchorsThenSystemTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager anchors;
  private volatile X509ExtendedTrustManager system;

  AnchorsThenSystemTrust(List<X509Certificate> extraAnchors) throws GeneralSecurityException, java.io.IOException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (X509Certificate c : extraAnchors) {
      ks.setCertificateEntry("extra-" + i++, c);
    }
    this.anchors = pkix(ks);
  }

  private static X509ExtendedTrustManager pkix(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return Stream.of(tmf.getTrustManagers()).filter(X509ExtendedTrustManager.class::isInstance)
        .map(X509ExtendedTrustManager.class::cast).findFirst()
        .orElseThrow(() -> new GeneralSecurityException("the JDK gave no X509ExtendedTrustManager"));
  }

  private X509ExtendedTrustManager system() throws CertificateException {
    X509ExtendedTrustManager s = system;
    if (s == null) {
      try {
        s = pkix(null); // null: the JDK's default trust store
      } catch (GeneralSecurityException e) {
        throw new CertificateException("cannot read the JDK's trust store: " + e.getMessage(), e);
      }
      system = s;
    }
    return s;
  }

  /** Whether the JDK's store was read: only when a chain did not lead to the extra anchors. */
  boolean systemStoreRead() {
    return system != null;
  }

  private interface Check {
    void on(X509ExtendedTrustManager tm) throws CertificateException;
  }

  /**
   * The extra anchors first, then the JDK's store. When both refuse, the refusal that got further than finding no
   * path (a host name that does not match, say) is the one reported, as one trust manager over both sets would.
   */
  private void check(Check check) throws CertificateException {
    try {
      check.on(anchors);
    } catch (CertificateException first) {
      try {
        check.on(system());
      } catch (CertificateException second) {
        CertificateException reported = noPath(first) ? second : first;
        reported.addSuppressed(reported == first ? second : first);
        throw reported;
      }
    }
  }

  private static boolean noPath(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(tm -> tm.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(tm -> tm.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(tm -> tm.checkServerTrusted(chain, authType));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(tm -> tm.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(tm -> tm.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(tm -> tm.checkClientTrusted(chain, authType));
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    X509Certificate[] system;
    try {
      system = system().getAcceptedIssuers();
    } catch (CertificateException e) {
      system = new X509Certificate[0];
    }
    return Stream.concat(Stream.of(anchors.getAcceptedIssuers()), Stream.of(system)).toArray(X509Certificate[]::new);
  }
}
