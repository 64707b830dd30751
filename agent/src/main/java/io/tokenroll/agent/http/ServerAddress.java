package io.tokenroll.agent.http;

import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A server's address, parsed once: every decision about it (loopback or not, TLS or not) and the connection itself
 * use the same host. {@code java.net.URI} has no host for names it does not accept (a {@code _} in a label), while
 * {@code java.net.URL} connects to them anyway; a check on {@code URI.getHost()} and a connection through the URL
 * would decide on one host and connect to another. Such names are refused here, and so is a user or password in
 * the URL (it would be journaled and shown): credentials have their own options.
 */
public record ServerAddress(String scheme, String host, int port, String path) {
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  /** A dotted quad, exactly: anything else made of digits would go to a resolver. */
  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
      OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);

  public ServerAddress {
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("scheme must be https or http, not " + scheme);
    }
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("a server address needs a host");
    }
    if (!path.startsWith("/") || !path.endsWith("/")) {
      throw new IllegalArgumentException("a server path starts and ends with '/': " + path);
    }
  }

  /** Parses a URL as a user gives it; the message of a refusal never repeats a password the URL carried. */
  public static ServerAddress parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("no server URL given");
    }
    String shown = redacted(url.strip());
    URI u;
    try {
      u = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + shown + "' is not a valid URL (" + e.getReason() + ")");
    }
    return of(u, shown);
  }

  /** The address of an absolute URI; refused as {@link #parse} refuses. */
  public static ServerAddress of(URI u) {
    return of(u, redacted(u.toString()));
  }

  private static ServerAddress of(URI u, String shown) {
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("'" + shown + "' is not an https:// URL");
    }
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException("'" + shown + "': a user or password in the server URL is refused (it "
          + "would be stored in the journal); give the user with --user and the password with --password-source");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("'" + shown + "' has no valid host name (a host name has letters, digits, "
          + "'-' and '.' only)");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException("'" + shown + "': a server URL has no query or fragment");
    }
    if (u.getPort() == 0 || u.getPort() > 65535) {
      throw new IllegalArgumentException("'" + shown + "': port " + u.getPort() + " is not a TCP port");
    }
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String host = u.getHost().toLowerCase(Locale.ROOT);
    return new ServerAddress(scheme, host, u.getPort(), path.endsWith("/") ? path : path + "/");
  }

  /**
   * Whether the host is this machine, decided on the host text alone: a loopback IP literal or {@code localhost}.
   * No name is resolved, so no resolver (hosts file, DNS) can make a remote host pass, nor answer differently at
   * check time and at connection time.
   */
  public boolean isLoopback() {
    if (host.equals("localhost")) {
      return true;
    }
    if (IPV4.matcher(host).matches()) {
      return host.startsWith("127.");
    }
    if (!host.startsWith("[") || !host.endsWith("]")) {
      return false; // a name, not an IP literal
    }
    try { // an IPv6 literal: with a ':' in it, the JDK parses it and never looks it up
      return InetAddress.getByName(host.substring(1, host.length() - 1)).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public boolean tls() {
    return scheme.equals("https");
  }

  /** The port the connection goes to. */
  public int effectivePort() {
    return port > 0 ? port : tls() ? 443 : 80;
  }

  public URI uri() {
    try {
      return new URI(scheme + "://" + host + (port > 0 ? ":" + port : "") + path);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The URL of {@code relative} (a path below this address, with an optional query), built from this address's
   * own parts so that the connection goes to exactly {@link #host()}.
   */
  public URL url(String relative) {
    String rel = relative.startsWith("/") ? relative.substring(1) : relative;
    if (rel.startsWith("/") || rel.contains("://") || rel.contains("#")) {
      throw new IllegalArgumentException("not a relative path: " + relative);
    }
    try {
      return new URL(scheme, host, port, path + rel);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("cannot build a URL for " + relative + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return uri().toString();
  }

  /** Whether a URL carries a user or password (as journals of older versions may). */
  public static boolean hasUserInfo(String url) {
    try {
      return new URI(url.strip()).getRawUserInfo() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** The URL without its user and password; otherwise as it was. */
  public static String withoutUserInfo(String url) {
    try {
      URI u = new URI(url.strip());
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), u.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      return url;
    }
  }

  /**
   * The URL with everything between the scheme and the last '@' replaced: safe to show in a message whatever a
   * password holds ('/', '?', '#', '@') and also for the opaque form {@code https:user:pw@host}. A path with an
   * '@' in it is shown shortened, which costs nothing.
   */
  public static String redacted(String url) {
    int at = url.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    int slashes = url.indexOf("://");
    int start = slashes >= 0 ? slashes + 3 : url.indexOf(':') + 1;
    return start <= 0 || start > at ? url : url.substring(0, start) + "[redacted]" + url.substring(at);
  }
}
