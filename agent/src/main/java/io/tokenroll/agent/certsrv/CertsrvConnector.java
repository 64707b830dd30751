package io.tokenroll.agent.certsrv;

import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.HttpTransport;
import io.tokenroll.agent.http.RetryPolicy;
import io.tokenroll.agent.http.ServerAddress;
import io.tokenroll.agent.http.TlsSettings;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.HResult;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns an ICertRequest2 config string — here the web enrollment URL, {@code https://ca.example.com/certsrv} —
 * into a connection to that site, one per URL, kept for the client's life. This is where the client's identity
 * is decided: {@link Credentials} (Basic, Negotiate or a bearer token) and the TLS client certificate in
 * {@link TlsSettings};
 * {@link CertsrvClient} never sees how. A browser-like User-Agent is sent because AD CS otherwise labels
 * certificates with the wrong Content-Type (reference §4.1).
 */
public final class CertsrvConnector {
  /** What certsrv needs to see to answer like it does for browsers ("Mozilla/5.0" is what it looks for). */
  public static final String USER_AGENT = "Mozilla/5.0 (compatible; tokenroll; AD CS web enrollment client)";
  /** The largest answer read; a CA chain or a large CRL fits, an endless stream does not. */
  public static final long DEFAULT_MAX_BODY = 16L * 1024 * 1024;

  private static final Map<String, String> HEADERS = Map.of("User-Agent", USER_AGENT,
      "Accept", "text/html, application/pkix-cert, application/x-pkcs7-certificates, application/pkix-crl, */*;q=0.5",
      "Accept-Language", "en-US");

  private final TlsSettings tls;
  private final Credentials credentials;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final long maxBody;
  private final Map<URI, WebEnrollment> sites = new HashMap<>();

  public CertsrvConnector(TlsSettings tls, Credentials credentials, RetryPolicy retry, Duration timeout,
                          long maxBody) {
    this.tls = tls;
    this.credentials = credentials;
    this.retry = retry;
    this.timeout = timeout;
    this.maxBody = maxBody;
  }

  /** Verifying TLS against the JDK's and {@code tls}'s anchors, default retries, a 60 s timeout. */
  public static CertsrvConnector of(TlsSettings tls, Credentials credentials) {
    return new CertsrvConnector(tls, credentials, RetryPolicy.DEFAULT, Duration.ofSeconds(60), DEFAULT_MAX_BODY);
  }

  synchronized WebEnrollment site(String config) throws CertSrvException {
    URI base = parseConfig(config);
    WebEnrollment site = sites.get(base);
    if (site == null) {
      try {
        site = new WebEnrollment(new HttpTransport(base, tls, credentials, retry, timeout, maxBody, HEADERS));
      } catch (IllegalArgumentException e) {
        throw new CertSrvException(HResult.E_INVALIDARG, e.getMessage());
      } catch (GeneralSecurityException | IOException e) {
        throw new CertSrvException(HResult.ERROR_WINHTTP_SECURE_FAILURE, "cannot set up TLS for " + base + ": "
            + e.getMessage(), e);
      }
      sites.put(base, site);
    }
    return site;
  }

  /**
   * The web enrollment URL of a config string, normalised to end in '/'. Windows' {@code host\CA name} form
   * names a DCOM endpoint, which this client cannot reach: it is refused with a hint.
   */
  public static URI parseConfig(String config) throws CertSrvException {
    if (config == null || config.isBlank()) {
      throw new CertSrvException(HResult.E_INVALIDARG, "no CA configuration: give the web enrollment URL, "
          + "e.g. https://ca.example.com/certsrv");
    }
    if (!config.contains("://")) {
      throw new CertSrvException(HResult.E_INVALIDARG, "'" + ServerAddress.redacted(config.trim()) + "' is not a "
          + "web enrollment URL; this client talks to AD CS over /certsrv, e.g. https://ca.example.com/certsrv "
          + "(host\\CA configurations need DCOM)");
    }
    try { // the one URL check the MIM CM client uses too: one host, no credentials, no query or fragment
      return ServerAddress.parse(config).uri();
    } catch (IllegalArgumentException e) {
      throw new CertSrvException(HResult.E_INVALIDARG, "not a usable web enrollment URL: " + e.getMessage());
    }
  }
}
