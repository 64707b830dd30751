package io.tokenroll.cmserver.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

/**
 * The server half of HTTP Negotiate, as IIS's Windows authentication does it: accepts a SPNEGO (or bare Kerberos)
 * token for any service principal in the keytab, and answers with the reply token that proves to the client that
 * this server holds the key (mutual authentication). Every request is authenticated on its own, so nothing about
 * a connection is remembered. Uses the JDK's GSS-API; the keytab is read at start and never leaves the Subject.
 */
public final class NegotiateAcceptor {
  private static final Logger LOG = Logger.getLogger(NegotiateAcceptor.class.getName());
  private static final int MAX_TOKEN = 64 * 1024;

  private final Subject subject;
  private final GSSCredential credential;
  private final String realm;

  /** A client the KDC vouched for, and the token that proves the server to it. */
  public record Accepted(String principal, String replyToken) {
  }

  /**
   * @param keytab the service's keytab ({@code HTTP/<host>@REALM} keys, as {@code ktpass} or {@code kadmin ktadd}
   *               writes it)
   * @param realm  the realm whose users may log in (IIS maps {@code user@REALM} to the domain user)
   */
  public NegotiateAcceptor(Path keytab, String realm) {
    if (!Files.isReadable(keytab)) {
      throw new IllegalArgumentException("the keytab " + keytab + " is not readable");
    }
    if (realm == null || realm.isBlank()) {
      throw new IllegalArgumentException("Negotiate needs the realm its users belong to (--realm)");
    }
    this.realm = realm;
    Map<String, String> options = Map.of("useKeyTab", "true", "keyTab", keytab.toString(), "principal", "*",
        "storeKey", "true", "isInitiator", "false", "doNotPrompt", "true");
    Configuration config = new Configuration() {
      @Override
      public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        return new AppConfigurationEntry[] {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
      }
    };
    try {
      LoginContext login = new LoginContext("cmserver", new Subject(), callbacks -> {
        throw new javax.security.auth.callback.UnsupportedCallbackException(callbacks[0]);
      }, config);
      login.login();
      this.subject = login.getSubject();
      this.credential = Subject.doAs(subject, (PrivilegedExceptionAction<GSSCredential>) () ->
          GSSManager.getInstance().createCredential(null, GSSCredential.INDEFINITE_LIFETIME,
              new Oid[] {new Oid("1.2.840.113554.1.2.2"), new Oid("1.3.6.1.5.5.2")}, GSSCredential.ACCEPT_ONLY));
    } catch (LoginException | PrivilegedActionException e) {
      throw new IllegalArgumentException("cannot use the keytab " + keytab + ": " + e.getMessage(), e);
    }
  }

  /** The client behind an {@code Authorization: Negotiate …} header, or null when its token does not verify. */
  public Accepted accept(String authorization) {
    String encoded = authorization.substring("Negotiate ".length()).strip();
    if (encoded.isEmpty() || encoded.length() > MAX_TOKEN) {
      return null;
    }
    byte[] token;
    try {
      token = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return null;
    }
    try {
      return Subject.doAs(subject, (PrivilegedExceptionAction<Accepted>) () -> {
        GSSContext context = GSSManager.getInstance().createContext(credential);
        try {
          byte[] reply = context.acceptSecContext(token, 0, token.length);
          if (!context.isEstablished()) {
            return null; // a multi-leg exchange (NTLM-style): Kerberos completes in one
          }
          String client = context.getSrcName().toString();
          return new Accepted(client, reply == null ? null : Base64.getEncoder().encodeToString(reply));
        } finally {
          context.dispose();
        }
      });
    } catch (PrivilegedActionException e) {
      LOG.log(Level.INFO, "Negotiate token refused: " + e.getException().getMessage());
      return null;
    }
  }

  /** The user name of a principal of this server's realm ({@code alice@REALM} → {@code alice}), else null. */
  public String userName(String principal) {
    int at = principal.lastIndexOf('@');
    if (at <= 0 || !principal.substring(at + 1).equals(realm)) {
      return null;
    }
    String name = principal.substring(0, at);
    return name.contains("/") ? null : name; // a service or host principal is not a user
  }
}
