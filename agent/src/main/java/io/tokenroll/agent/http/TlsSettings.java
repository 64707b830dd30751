package io.tokenroll.agent.http;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a client checks the server: the JDK's trust store plus extra anchors (a private CA), or — only for a loopback
 * server, and only for this client — no checks at all. Optionally a TLS client certificate from a PKCS#12 file.
 */
public record TlsSettings(List<X509Certificate> extraAnchors, boolean insecure, Path clientKeyStore,
                          char[] clientKeyStorePassword) {

  /** What makes two settings equal for sharing a client (the password array is compared by content). */
  public record Key(List<X509Certificate> extraAnchors, boolean insecure, Path clientKeyStore, String passwordDigest) {
  }

  public Key key() {
    String digest = null;
    if (clientKeyStorePassword != null) {
      try {
        byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(
            new String(clientKeyStorePassword).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest = java.util.HexFormat.of().formatHex(h);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return new Key(extraAnchors, insecure, clientKeyStore, digest);
  }

  public static TlsSettings verifying(List<X509Certificate> anchors) {
    return new TlsSettings(List.copyOf(anchors), false, null, null);
  }

  /** Trust managers over the JDK's trust store plus extra anchors, kept per anchor list: reading the JDK's store
   *  (~150 certificates) is paid once by a daemon or a batch of enrollments. */
  private static final java.util.Map<List<X509Certificate>, TrustManager[]> TRUST_CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  public SSLContext sslContext(ServerAddress server) throws GeneralSecurityException, IOException {
    TrustManager[] trust;
    if (insecure) {
      if (!server.isLoopback()) {
        throw new IllegalArgumentException("--insecure is refused for " + server.host()
            + ": it is only allowed for a server on this machine (loopback); give its CA with --trust instead");
      }
      trust = new TrustManager[] {new TrustAll()};
    } else {
      trust = TRUST_CACHE.get(extraAnchors);
      if (trust == null) {
        trust = trustManagers();
        TRUST_CACHE.put(extraAnchors, trust);
      }
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(clientKeyStore == null ? null : keyManagers(), trust, null);
    return ctx;
  }

  private TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
    if (extraAnchors.isEmpty()) {
      TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      system.init((KeyStore) null);
      return system.getTrustManagers();
    }
    return new TrustManager[] {new AnchorsThenSystemTrust(extraAnchors)};
  }

  private javax.net.ssl.KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(clientKeyStore)) {
      ks.load(in, clientKeyStorePassword);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, clientKeyStorePassword);
    return kmf.getKeyManagers();
  }

  /** Accepts any certificate and host name; used only for loopback servers when asked with --insecure. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
