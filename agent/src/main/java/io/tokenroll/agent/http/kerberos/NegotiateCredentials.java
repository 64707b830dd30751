package io.tokenroll.agent.http.kerberos;

import io.tokenroll.agent.http.AccessDeniedException;
import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.ServerException;
import java.net.URI;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.security.auth.Subject;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * HTTP Negotiate (RFC 4559) with Kerberos through SPNEGO, as IIS's Windows authentication expects. Each request
 * carries a token made up front from a fresh GSS context (a streamed body cannot be sent a second time after a 401
 * challenge), and each successful answer must carry the server's reply token, which completes the context only if
 * the server holds the service principal's key: mutual authentication, checked before an answer is believed.
 * Never falls back to another scheme.
 */
public final class NegotiateCredentials implements Credentials {
  private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");
  private static final Oid KRB5_PRINCIPAL_NAME = oid("1.2.840.113554.1.2.2.1");

  private final Supplier<Subject> login;
  private final String servicePrincipal;
  private final String identity;
  private final boolean canonicalHost;
  private final java.util.Map<String, String> canonicalNames = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Subject subject;

  /**
   * @param login           logs in when the first request needs it (throws {@link KerberosException})
   * @param identity        who we are, for messages ("alice's ticket cache", a principal)
   * @param servicePrincipal the server's principal ({@code HTTP/host[@REALM]}), or null for {@code HTTP/<URL host>}
   * @param canonicalHost   name the service by the host's canonical name rather than as the URL writes it
   */
  public NegotiateCredentials(Supplier<Subject> login, String identity, String servicePrincipal,
                              boolean canonicalHost) {
    this.login = login;
    this.identity = identity;
    this.servicePrincipal = servicePrincipal;
    this.canonicalHost = canonicalHost;
  }

  @Override
  public Attempt begin(URI target) throws ServerException {
    Subject s = subject();
    String service = servicePrincipal(target);
    GSSContext context;
    byte[] token;
    try {
      context = Subject.doAs(s, (PrivilegedExceptionAction<GSSContext>) () -> {
        GSSManager manager = GSSManager.getInstance();
        GSSName name = service.contains("/")
            ? manager.createName(service, KRB5_PRINCIPAL_NAME)
            : manager.createName(service, GSSName.NT_HOSTBASED_SERVICE);
        GSSContext c = manager.createContext(name, SPNEGO, null, GSSContext.DEFAULT_LIFETIME);
        c.requestMutualAuth(true);
        c.requestCredDeleg(false);
        return c;
      });
      token = Subject.doAs(s, (PrivilegedExceptionAction<byte[]>) () -> context.initSecContext(new byte[0], 0, 0));
    } catch (PrivilegedActionException e) {
      throw new AccessDeniedException(0, "Kerberos could not get a ticket for " + display(service) + ": "
          + KerberosFailures.explain(e.getException()));
    }
    String header = "Negotiate " + Base64.getEncoder().encodeToString(token);
    return new Attempt() {
      @Override
      public String authorization() {
        return header;
      }

      @Override
      public void verify(List<String> challenges) throws ServerException {
        checkMutual(context, challenges, service);
      }

      @Override
      public void close() {
        dispose(context);
      }
    };
  }

  private static void checkMutual(GSSContext context, List<String> challenges, String service)
      throws AccessDeniedException {
    String reply = challenges.stream().map(String::strip)
        .filter(v -> v.regionMatches(true, 0, "Negotiate ", 0, 10)).map(v -> v.substring(10).strip())
        .findFirst().orElse(null);
    if (reply == null) {
      throw new AccessDeniedException(0, "the server answered without proving it is " + display(service)
          + " (no Negotiate token in its answer, so mutual authentication failed); its answer is not used");
    }
    try {
      byte[] token = Base64.getDecoder().decode(reply);
      SpnegoReply.checkCarriesProof(token); // the JDK would take "request-mic" without any proof
      context.initSecContext(token, 0, token.length);
      if (!context.isEstablished()) {
        throw new GSSException(GSSException.DEFECTIVE_TOKEN);
      }
    } catch (java.io.IOException e) {
      throw new AccessDeniedException(0, "the server's Negotiate answer does not prove it is " + display(service)
          + " (" + e.getMessage() + "); its answer is not used");
    } catch (GSSException | IllegalArgumentException e) {
      throw new AccessDeniedException(0, "the server's Negotiate answer does not prove it is " + display(service)
          + " (" + KerberosFailures.explain(e) + "); its answer is not used");
    }
  }

  private Subject subject() throws AccessDeniedException {
    Subject s = subject;
    if (s == null) {
      synchronized (this) {
        if (subject == null) {
          try {
            subject = login.get();
          } catch (KerberosException e) {
            throw new AccessDeniedException(0, e.getMessage());
          }
        }
        s = subject;
      }
    }
    return s;
  }

  /**
   * The principal to ask a ticket for: as configured, else {@code HTTP@<host>} — the host as the URL writes it, or
   * with {@code canonicalHost} its canonical name as MIT Kerberos finds it by default (the address, then the
   * address's name), for servers reached through an alias whose SPN is registered under the real host name.
   */
  String servicePrincipal(URI target) {
    if (servicePrincipal != null) {
      return servicePrincipal;
    }
    String host = target.getHost().toLowerCase(Locale.ROOT);
    return "HTTP@" + (canonicalHost ? canonicalNames.computeIfAbsent(host, NegotiateCredentials::canonical) : host);
  }

  /** The host's canonical name; the host itself when a lookup fails or yields only an address. */
  static String canonical(String host) {
    try {
      java.net.InetAddress address = java.net.InetAddress.getByName(host);
      String name = address.getCanonicalHostName().toLowerCase(Locale.ROOT);
      boolean isAddress = name.equals(address.getHostAddress()) || name.indexOf(':') >= 0
          || name.matches("[0-9.]+");
      return isAddress ? host : name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    } catch (java.net.UnknownHostException e) {
      return host;
    }
  }

  private static String display(String service) {
    return service.replace('@', service.contains("/") ? '@' : '/');
  }

  private static void dispose(GSSContext context) {
    try {
      context.dispose();
    } catch (GSSException e) {
      // nothing held that outlives the process
    }
  }

  @Override
  public String refusalHint() {
    return "the server refused the Kerberos ticket of " + who() + ": is that principal a user of the server, and "
        + "does the server's keytab hold the service principal's current key?";
  }

  /** The principal we logged in as, once known; before that, what was configured. */
  private String who() {
    Subject s = subject;
    return s == null ? identity : s.getPrincipals(javax.security.auth.kerberos.KerberosPrincipal.class).stream()
        .map(Object::toString).findFirst().orElse(identity);
  }

  @Override
  public String toString() {
    return "Negotiate " + who();
  }

  private static Oid oid(String dotted) {
    try {
      return new Oid(dotted);
    } catch (GSSException e) {
      throw new IllegalStateException(e);
    }
  }
}
