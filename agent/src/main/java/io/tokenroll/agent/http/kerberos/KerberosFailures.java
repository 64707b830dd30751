package io.tokenroll.agent.http.kerberos;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the JDK's Kerberos throws into what the user should do. The JDK wraps the KDC's error in a GSSException
 * or LoginException whose cause is an internal KrbException, so the Kerberos error code (RFC 4120 §7.5.9) is read
 * from its message, which ends in "(<code>)".
 */
final class KerberosFailures {
  private static final Pattern CODE = Pattern.compile("\\((\\d{1,3})\\)");

  private static final Map<Integer, String> ADVICE = Map.ofEntries(
      Map.entry(6, "the KDC does not know this client principal (check the name and realm, or run kinit as the "
          + "right user)"),
      Map.entry(7, "the KDC knows no such service principal: the server's SPN is not registered under this name "
          + "(give the right one with --service-principal, e.g. HTTP/cm.example.com)"),
      Map.entry(14, "the KDC and this machine share no encryption type (check permitted_enctypes in krb5.conf)"),
      Map.entry(18, "the KDC says this principal's credentials are revoked or locked"),
      Map.entry(24, "the key does not match the KDC's (a wrong password, or a keytab from an older key version)"),
      Map.entry(32, "the ticket has expired (run kinit again)"),
      Map.entry(37, "Clock skew too great: this machine's clock is more than 5 minutes off the KDC's (set it right "
          + "with timedatectl, chrony or ntp)"),
      Map.entry(41, "the service could not decrypt the ticket (its keytab is for another principal or key "
          + "version)"),
      Map.entry(68, "the principal belongs to another realm than the KDC's (check default_realm and "
          + "[domain_realm] in krb5.conf)"));

  private KerberosFailures() {
  }

  /** One line: the advice for a known Kerberos error, else the deepest message the JDK gave. */
  static String explain(Throwable failure) {
    String deepest = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m == null) {
        continue;
      }
      Matcher code = CODE.matcher(m);
      while (code.find()) {
        String advice = ADVICE.get(Integer.parseInt(code.group(1)));
        if (advice != null) {
          return advice;
        }
      }
      if (m.contains("Cannot contact any KDC") || m.contains("Receive timed out")
          || t instanceof java.net.SocketException) {
        return "no KDC answered (check the realm's kdc entries in krb5.conf and that the KDC is reachable)";
      }
      if (m.contains("Cannot locate default realm")) {
        return "krb5.conf names no default realm (set default_realm in [libdefaults], or KRB5_CONFIG)";
      }
      deepest = m;
    }
    return deepest == null ? failure.getClass().getSimpleName() : deepest;
  }
}
