package io.tokenroll.agent.login;

import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.PasswordSource;
import io.tokenroll.agent.http.kerberos.KerberosEnvironment;
import io.tokenroll.agent.http.kerberos.KerberosLogin;
import io.tokenroll.agent.http.kerberos.NegotiateCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * How tokenroll logs in to a server, as the journal keeps it: the method and where its secrets come from, never a
 * secret. {@code secretSource} is the password's source for Basic and the token's for Bearer; Negotiate reads the
 * ticket cache unless a keytab and principal are given.
 *
 * @param servicePrincipal the server's Kerberos principal when it is not {@code HTTP/<host in the URL>}
 * @param canonicalHost    name the service by the host's canonical name (forward, then reverse lookup), not as written
 */
public record ServerLogin(Method method, String user, String secretSource, String keytab, String principal,
                          String servicePrincipal, boolean canonicalHost) {
  public static final ServerLogin NONE = new ServerLogin(Method.NONE, null, null, null, null, null, false);

  /** The HTTP authentication schemes tokenroll speaks (a TLS client certificate goes beside any of them). */
  public enum Method { NONE, BASIC, BEARER, NEGOTIATE }

  public ServerLogin {
    if (method == null) {
      throw new IllegalArgumentException("a login needs a method");
    }
    if (method == Method.BASIC && (user == null || user.isBlank())) {
      throw new IllegalArgumentException("HTTP Basic needs a user name");
    }
    if (keytab != null && principal == null) {
      throw new IllegalArgumentException("--keytab needs --principal (the principal whose key it holds)");
    }
  }

  public static ServerLogin basic(String user, String passwordSource) {
    return new ServerLogin(Method.BASIC, user, passwordSource, null, null, null, false);
  }

  public static ServerLogin bearer(String tokenSource) {
    return new ServerLogin(Method.BEARER, null, tokenSource, null, null, null, false);
  }

  public static ServerLogin negotiate(String keytab, String principal, String servicePrincipal,
                                      boolean canonicalHost) {
    return new ServerLogin(Method.NEGOTIATE, null, null, keytab, principal, servicePrincipal, canonicalHost);
  }

  /** The same login with its secret read from elsewhere (resume --password-source). */
  public ServerLogin withSecretSource(String source) {
    return new ServerLogin(method, user, source, keytab, principal, servicePrincipal, canonicalHost);
  }

  /** Reads the secrets (prompting if the source says so) and returns what signs requests. */
  public Credentials open() throws IOException {
    return switch (method) {
      case NONE -> Credentials.NONE;
      case BASIC -> Credentials.basic(user, PasswordSource.read(secretSource, "password of " + user));
      case BEARER -> bearer();
      case NEGOTIATE -> negotiate(KerberosEnvironment.system());
    };
  }

  private Credentials bearer() throws IOException {
    try {
      return Credentials.bearer(PasswordSource.read(secretSource, "bearer token", 32 * 1024));
    } catch (IllegalArgumentException e) {
      throw new IOException(secretSource + ": " + e.getMessage());
    }
  }

  private Credentials negotiate(KerberosEnvironment env) {
    if (keytab != null) {
      return new NegotiateCredentials(() -> KerberosLogin.fromKeytab(env, Path.of(keytab), principal),
          principal + " (keytab " + keytab + ")", servicePrincipal, canonicalHost);
    }
    return new NegotiateCredentials(() -> KerberosLogin.fromTicketCache(env, principal, Clock.systemUTC()),
        principal != null ? principal : "the ticket cache's user", servicePrincipal, canonicalHost);
  }
}
