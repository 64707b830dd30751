package io.tokenroll.cmserver.http;

import io.tokenroll.cmserver.UserAccount;
import io.tokenroll.protocol.certsrv.MsOids;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * Finds the user behind a request: HTTP Basic against the configured users, Negotiate (Kerberos, when a keytab is
 * configured: {@code alice@REALM} is the user alice, as IIS maps a domain user), or else a TLS client certificate
 * whose UPN SAN (or, failing that, subject CN) names a configured user. An Authorization header that does not
 * verify is a failure even when a certificate was presented: a client that offers credentials means them.
 */
public final class Authenticator {
  private final Map<String, UserAccount> byName;
  private final Map<String, UserAccount> byUpn;
  private final NegotiateAcceptor negotiate;
  private final BearerValidator bearer;

  /** Who a request is, and the header that proves the server to it (Negotiate's mutual authentication). */
  public record Authenticated(UserAccount user, String replyChallenge) {
  }

  public Authenticator(Collection<UserAccount> users) {
    this(users, null, null);
  }

  /** With {@code negotiate} or {@code bearer} null, that scheme is not offered. */
  public Authenticator(Collection<UserAccount> users, NegotiateAcceptor negotiate, BearerValidator bearer) {
    this.byName = users.stream().collect(Collectors.toMap(u -> u.name().toLowerCase(Locale.ROOT),
        Function.identity(), (a, b) -> b));
    this.byUpn = users.stream().collect(Collectors.toMap(u -> u.upn().toLowerCase(Locale.ROOT),
        Function.identity(), (a, b) -> b));
    this.negotiate = negotiate;
    this.bearer = bearer;
  }

  /** The schemes a 401 challenge offers besides Basic, as IIS lists them: Negotiate, then Bearer. */
  public List<String> extraSchemes() {
    List<String> schemes = new java.util.ArrayList<>();
    if (negotiate != null) {
      schemes.add("Negotiate");
    }
    if (bearer != null) {
      schemes.add("Bearer");
    }
    return schemes;
  }

  /** The user, or null when the request carries no credentials that verify. */
  public Authenticated authenticate(String authorization, SSLSession tls) {
    if (authorization != null) {
      if (negotiate != null && authorization.regionMatches(true, 0, "Negotiate ", 0, 10)) {
        NegotiateAcceptor.Accepted accepted = negotiate.accept(authorization);
        String name = accepted == null ? null : negotiate.userName(accepted.principal());
        UserAccount user = name == null ? null : byName.get(name.toLowerCase(Locale.ROOT));
        return user == null ? null : new Authenticated(user,
            accepted.replyToken() == null ? null : "Negotiate " + accepted.replyToken());
      }
      if (bearer != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String subject = bearer.subject(authorization);
        UserAccount user = subject == null ? null : byUpn.getOrDefault(subject.toLowerCase(Locale.ROOT),
            byName.get(subject.toLowerCase(Locale.ROOT)));
        return user == null ? null : new Authenticated(user, null);
      }
      UserAccount user = basic(authorization, byName);
      return user == null ? null : new Authenticated(user, null);
    }
    UserAccount user = tls == null ? null : fromCertificate(tls);
    return user == null ? null : new Authenticated(user, null);
  }

  /** Checks a Basic header against one set of accounts (the admin path uses its own). */
  public static UserAccount basic(String authorization, Map<String, UserAccount> accounts) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String name = decoded.substring(0, colon);
    // Windows clients send DOMAIN\\user or user@domain; match the bare name too.
    String bare = name.contains("\\") ? name.substring(name.indexOf('\\') + 1) : name;
    UserAccount u = accounts.get(bare.toLowerCase(Locale.ROOT));
    if (u == null && name.contains("@")) {
      u = accounts.values().stream().filter(a -> a.upn().equalsIgnoreCase(name)).findFirst().orElse(null);
    }
    return u != null && u.passwordMatches(decoded.substring(colon + 1)) ? u : null;
  }

  private UserAccount fromCertificate(SSLSession tls) {
    Certificate[] chain;
    try {
      chain = tls.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return null;
    }
    String upn = upn(leaf);
    if (upn != null) {
      return byUpn.get(upn.toLowerCase(Locale.ROOT));
    }
    String cn = commonName(leaf);
    return cn == null ? null : byName.get(cn.toLowerCase(Locale.ROOT));
  }

  /** The UPN otherName of the subject alternative names, or null. */
  static String upn(X509Certificate cert) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans == null) {
        return null;
      }
      for (List<?> san : sans) {
        if ((Integer) san.get(0) == 0 && san.get(1) instanceof byte[] der) {
          // The JDK hands over the GeneralName's encoding, [0] IMPLICIT OtherName; accept a bare OtherName too.
          var parsed = org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der);
          ASN1Sequence other = parsed instanceof ASN1TaggedObject t ? ASN1Sequence.getInstance(t, false)
              : ASN1Sequence.getInstance(parsed);
          if (MsOids.UPN.equals(other.getObjectAt(0).toString())) {
            var value = ASN1TaggedObject.getInstance(other.getObjectAt(1)).getExplicitBaseObject();
            return ((ASN1String) value).getString();
          }
        }
      }
    } catch (java.security.cert.CertificateParsingException | java.io.IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static String commonName(X509Certificate cert) {
    try {
      RDN[] cns = new JcaX509CertificateHolder(cert).getSubject().getRDNs(BCStyle.CN);
      return cns.length == 0 ? null : IETFUtils.valueToString(cns[0].getFirst().getValue());
    } catch (java.security.cert.CertificateEncodingException e) {
      return null;
    }
  }
}
