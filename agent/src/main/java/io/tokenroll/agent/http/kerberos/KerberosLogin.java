package io.tokenroll.agent.http.kerberos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * The Kerberos identity requests run as: the user's ticket cache (after {@code kinit}), or a keytab and principal
 * (services, helpdesk stations). Logs in through the JDK's own Krb5LoginModule with a configuration built here, so
 * no JAAS file is needed and nothing ever prompts. The cache is read first by {@link TicketCache}, to say plainly
 * what the JDK would only call "Unable to obtain password from user".
 */
public final class KerberosLogin {
  /** MIT's and the JDK's default tolerance between clocks. */
  static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final String ENTRY = "tokenroll";

  private KerberosLogin() {
  }

  /** From the ticket cache; {@code principal}, when given, must be the cache's. */
  public static Subject fromTicketCache(KerberosEnvironment env, String principal, Clock clock) {
    env.applyConfig();
    Path cache = env.ticketCache();
    TicketCache parsed = check(cache, principal, clock);
    Map<String, String> options = new HashMap<>();
    options.put("useTicketCache", "true");
    options.put("ticketCache", cache.toString());
    options.put("doNotPrompt", "true");
    options.put("principal", principal != null ? principal : parsed.defaultPrincipal());
    return login(options, "the ticket of " + parsed.defaultPrincipal() + " in " + cache);
  }

  /** From a keytab: the principal's long-term key gets a ticket from the KDC. */
  public static Subject fromKeytab(KerberosEnvironment env, Path keytab, String principal) {
    env.applyConfig();
    if (principal == null || principal.isBlank()) {
      throw new KerberosException("--keytab needs --principal (the principal whose key it holds, e.g. "
          + "host/ws01.example.com@EXAMPLE.COM)");
    }
    if (!Files.isRegularFile(keytab) || !Files.isReadable(keytab)) {
      throw new KerberosException("the keytab " + keytab + " does not exist or is not readable");
    }
    Map<String, String> options = new HashMap<>();
    options.put("useKeyTab", "true");
    options.put("keyTab", keytab.toString());
    options.put("principal", principal);
    options.put("storeKey", "false");
    options.put("doNotPrompt", "true");
    return login(options, "the key of " + principal + " in " + keytab);
  }

  /** What the cache holds, or an error that says what to do. */
  static TicketCache check(Path cache, String principal, Clock clock) {
    byte[] bytes;
    try (var in = Files.newInputStream(cache)) {
      bytes = in.readNBytes(TicketCache.MAX_BYTES + 1);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new KerberosException("no Kerberos ticket: " + cache + " does not exist (run kinit, or set KRB5CCNAME "
          + "to the cache that holds your ticket)");
    } catch (IOException e) {
      throw new KerberosException("cannot read the ticket cache " + cache + ": " + e.getMessage());
    }
    TicketCache parsed;
    try {
      parsed = TicketCache.parse(bytes);
    } catch (IOException e) {
      throw new KerberosException("the ticket cache " + cache + " cannot be read: " + e.getMessage());
    }
    if (principal != null && !principal.equalsIgnoreCase(parsed.defaultPrincipal())) {
      throw new KerberosException("the ticket cache " + cache + " holds tickets of " + parsed.defaultPrincipal()
          + ", not of " + principal + " (run kinit " + principal + ")");
    }
    String realm = realmOf(parsed.defaultPrincipal());
    var tgt = parsed.tgt(realm);
    if (tgt.isEmpty()) {
      throw new KerberosException("the ticket cache " + cache + " holds no ticket-granting ticket for "
          + parsed.defaultPrincipal() + " (run kinit)");
    }
    // The offset is the KDC's clock minus ours. The JDK neither applies it nor lets a ticket outlive our clock.
    Duration offset = parsed.kdcOffset().orElse(Duration.ZERO);
    if (offset.abs().compareTo(MAX_SKEW) > 0) {
      throw new KerberosException("this machine's clock is " + describe(offset) + " the KDC's (kinit measured it); "
          + "Java's Kerberos does not correct for that, and the KDC refuses requests more than "
          + MAX_SKEW.toMinutes() + " minutes off with \"Clock skew too great\": set the clock right (timedatectl, "
          + "chrony or ntp) and run kinit again");
    }
    Instant now = clock.instant();
    if (!tgt.get().endTime().isAfter(now)) {
      throw new KerberosException("the Kerberos ticket of " + parsed.defaultPrincipal() + " in " + cache
          + " expired at " + tgt.get().endTime() + " (run kinit again)");
    }
    return parsed;
  }

  private static String describe(Duration offset) {
    long s = Math.abs(offset.toSeconds());
    String amount = s >= 3600 ? s / 3600 + " h " + s % 3600 / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    return amount + (offset.isNegative() ? " ahead of" : " behind");
  }

  static String realmOf(String principal) {
    int at = principal.lastIndexOf('@');
    return at < 0 ? null : principal.substring(at + 1);
  }

  private static Subject login(Map<String, String> options, String what) {
    Configuration config = new Configuration() {
      @Override
      public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        return new AppConfigurationEntry[] {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
      }
    };
    try {
      LoginContext context = new LoginContext(ENTRY, new Subject(), callbacks -> {
        throw new UnsupportedCallbackException(callbacks[0], "tokenroll never prompts for a Kerberos password");
      }, config);
      context.login();
      return context.getSubject();
    } catch (LoginException e) {
      throw new KerberosException("Kerberos login with " + what + " failed: " + KerberosFailures.explain(e));
    }
  }
}
