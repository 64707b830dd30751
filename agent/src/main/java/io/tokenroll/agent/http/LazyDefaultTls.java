package io.tokenroll.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The JDK's default TLS socket factory, made when something first uses it rather than when the first HTTPS
 * connection object is made. Every {@code HttpsURLConnection} asks for the default factory as it is constructed,
 * before tokenroll sets its own ({@link HttpTransport}), and making the default reads the JDK's trust store and key
 * store: 50–75 ms of a cold CLI run (profiled), for a factory no tokenroll connection uses. Whoever does use the
 * default gets the JDK's own, unchanged. Installed by the command-line entry points, which own their process: a
 * library must not replace a default its embedder may have set.
 */
public final class LazyDefaultTls extends SSLSocketFactory {
  private LazyDefaultTls() {
  }

  /** Makes the process's default HTTPS socket factory lazy (see the class comment). */
  public static void install() {
    HttpsURLConnection.setDefaultSSLSocketFactory(new LazyDefaultTls());
  }

  private static SSLSocketFactory jdk() {
    return (SSLSocketFactory) SSLSocketFactory.getDefault();
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return jdk().getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return jdk().getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return jdk().createSocket();
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return jdk().createSocket(s, host, port, autoClose);
  }

  @Override
  public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
    return jdk().createSocket(s, consumed, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return jdk().createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return jdk().createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return jdk().createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return jdk().createSocket(address, port, localAddress, localPort);
  }
}
