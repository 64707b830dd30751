package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.cmserver.CmServerConfig;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kerberos (HTTP Negotiate) end to end against a real MIT KDC: cmserver accepts SPNEGO with a service keytab, and
 * tokenroll runs as a child process exactly as a user would — {@code KRB5_CONFIG} and {@code KRB5CCNAME} in its
 * environment, a ticket from {@code kinit}, no JAAS file, no -D option. The JDK alone would read neither variable's
 * realm (it ignores KRB5_CONFIG), so every enrollment that succeeds here also shows tokenroll honours it. Every way
 * it fails ends before a key is made: the token is left empty.
 */
class KerberosE2eTest {
  private static MitKdc kdc;
  private static Stack stack;
  private static final String PASSWORD = Backends.randomHex(12);
  private static final String CANONICAL = "cm.tokenroll.test";
  private static final String ALIAS = "cm-alias.tokenroll.test";

  @BeforeAll
  static void realm() throws Exception {
    kdc = MitKdc.start();
    kdc.addUser("alice", PASSWORD);
    kdc.addUser("mallory", PASSWORD); // a principal of the realm that is no user of the CM server
    Path keytab = kdc.addService("HTTP/localhost", kdc.dir.resolve("http.keytab"));
    kdc.addService("HTTP/elsewhere.test", kdc.dir.resolve("elsewhere.keytab")); // known to the KDC, not the server
    kdc.addService("HTTP/" + CANONICAL, keytab); // the server's real name, behind the alias
    stack = new Stack(SoftHsm2.get().newToken("kerberos"), null,
        cfg -> cfg.withKerberos(new CmServerConfig.Kerberos(keytab, MitKdc.REALM)).withHostName(ALIAS));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (kdc != null) {
      kdc.close();
    }
  }

  /** enroll's arguments with Negotiate instead of Basic, against https://localhost (the SPN's host). */
  private static List<String> negotiateArgs(Stack s, String... more) {
    List<String> args = new ArrayList<>(s.enrollArgs("Smart Card Logon EC"));
    int user = args.indexOf("--user");
    args.subList(user, user + 4).clear(); // --user alice --password-source file:…
    args.set(args.indexOf("--server") + 1, "https://localhost:" + s.server.baseUri().getPort() + "/");
    args.addAll(List.of("--auth", "negotiate"));
    args.addAll(List.of(more));
    return args;
  }

  private static Cli run(Stack s, String ccache, Path krb5, List<String> args) throws Exception {
    Map<String, String> env = new HashMap<>(s.token.environment());
    env.put("KRB5_CONFIG", krb5.toString());
    env.put("KRB5CCNAME", ccache);
    return ChildProcess.run(env, args);
  }

  private static void assertNothingOnTheToken(Stack s, Cli run) throws Exception {
    assertEquals(List.of(), s.objects(), "nothing on the token: " + run);
  }

  @Test
  void enroll_withTheTicketFromKinit_runsAsThatUser_andChecksTheServer() throws Exception {
    try (Stack s = stack.fresh("krb-ticket")) {
      Path cache = kdc.kinit("alice", PASSWORD, kdc.krb5Conf);
      int before = s.server.admin().requests().size();
      Cli run = run(s, "FILE:" + cache, kdc.krb5Conf, negotiateArgs(s));
      assertEquals(0, run.exitCode(), run.toString());
      var requests = s.server.admin().requests();
      assertEquals(before + 1, requests.size());
      assertEquals("alice", requests.get(requests.size() - 1).originator(), "the server saw the Kerberos user");
      assertEquals(1, s.objects(io.tokenroll.pkcs11.ObjectClass.PRIVATE_KEY).size(), run.toString());
      assertTrue(run.out().contains("COMPLETED"), run.toString());
      assertFalse(run.out().contains(PASSWORD), "no secret printed");
    }
  }

  @Test
  void enroll_withAKeytab_needsNoTicketCache() throws Exception {
    try (Stack s = stack.fresh("krb-keytab")) {
      Path keytab = kdc.exportKeytab("alice", kdc.dir.resolve("alice.keytab"));
      Cli run = run(s, "FILE:" + kdc.dir.resolve("no-such-cache"), kdc.krb5Conf, negotiateArgs(s, "--keytab",
          keytab.toString(), "--principal", "alice@" + MitKdc.REALM));
      assertEquals(0, run.exitCode(), run.toString());
      assertEquals(1, s.objects(io.tokenroll.pkcs11.ObjectClass.PRIVATE_KEY).size(), run.toString());
      assertTrue(run.out().contains("COMPLETED"), run.toString());
    }
  }

  @Test
  void adCsWebEnrollment_acceptsNegotiateToo() throws Exception {
    Path cache = kdc.kinit("alice", PASSWORD, kdc.krb5Conf);
    Cli run = run(stack, "FILE:" + cache, kdc.krb5Conf, List.of("ca", "cacert", "--config", "https://localhost:"
        + stack.server.baseUri().getPort() + "/certsrv", "--auth", "negotiate", "--trust", stack.trust.toString()));
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("BEGIN CERTIFICATE"), run.toString());
  }

  /**
   * A server reached through an alias, its SPN registered under its real name: the child JVM resolves names from a
   * hosts file (the JDK's jdk.net.hosts.file) where the address's first name is the real one.
   */
  @Test
  void anAlias_needsTheCanonicalSpn() throws Exception {
    Path hosts = java.nio.file.Files.writeString(kdc.dir.resolve("hosts"), "127.0.0.1 " + CANONICAL + " " + ALIAS
        + "\n");
    try (Stack s = stack.fresh("krb-alias")) {
      Path cache = kdc.kinit("alice", PASSWORD, kdc.krb5Conf);
      List<String> args = negotiateArgs(s);
      args.set(args.indexOf("--server") + 1, "https://" + ALIAS + ":" + s.server.baseUri().getPort() + "/");
      Map<String, String> env = new HashMap<>(s.token.environment());
      env.put("KRB5_CONFIG", kdc.krb5Conf.toString());
      env.put("KRB5CCNAME", "FILE:" + cache);
      List<String> jvm = List.of("-Djdk.net.hosts.file=" + hosts);
      Cli asWritten = ChildProcess.run(env, jvm, args);
      assertNotEquals(0, asWritten.exitCode(), asWritten.toString());
      assertTrue(asWritten.out().contains("no such service principal"), asWritten.toString());
      assertNothingOnTheToken(s, asWritten);
      args.add("--canonical-spn");
      Cli canonical = ChildProcess.run(env, jvm, args);
      assertEquals(0, canonical.exitCode(), canonical.toString());
    }
  }

  @Test
  void noTicket_saysRunKinit() throws Exception {
    try (Stack s = stack.fresh("krb-none")) {
      Cli run = run(s, "FILE:" + kdc.dir.resolve("no-such-cache"), kdc.krb5Conf, negotiateArgs(s));
      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("no Kerberos ticket") && run.out().contains("run kinit"), run.toString());
      assertNothingOnTheToken(s, run);
    }
  }

  @Test
  void aCacheJavaCannotRead_isNamed() throws Exception {
    try (Stack s = stack.fresh("krb-kcm")) {
      Cli run = run(s, "KCM:", kdc.krb5Conf, negotiateArgs(s));
      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("KCM") && run.out().contains("FILE:"), run.toString());
      assertNothingOnTheToken(s, run);
    }
  }

  @Test
  void anExpiredTicket_saysRunKinitAgain() throws Exception {
    try (Stack s = stack.fresh("krb-expired")) {
      Path cache = kdc.kinit("alice", PASSWORD, kdc.krb5Conf, "-l", "2s");
      Thread.sleep(3000);
      Cli run = run(s, "FILE:" + cache, kdc.krb5Conf, negotiateArgs(s));
      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("expired") && run.out().contains("kinit"), run.toString());
      assertNothingOnTheToken(s, run);
    }
  }

  @Test
  void aServicePrincipalTheKdcDoesNotKnow_isNamed() throws Exception {
    try (Stack s = stack.fresh("krb-spn")) {
      Path cache = kdc.kinit("alice", PASSWORD, kdc.krb5Conf);
      Cli run = run(s, "FILE:" + cache, kdc.krb5Conf, negotiateArgs(s, "--service-principal",
          "HTTP/nosuch.test@" + MitKdc.REALM));
      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("no such service principal") && run.out().contains("nosuch.test"),
          run.toString());
      assertNothingOnTheToken(s, run);
    }
  }

  @Test
  void aTicketForAnotherService_isRefusedByTheServer() throws Exception {
    try (Stack s = stack.fresh("krb-other")) {
      Path cache = kdc.kinit("alice", PASSWORD, kdc.krb5Conf);
      Cli run = run(s, "FILE:" + cache, kdc.krb5Conf, negotiateArgs(s, "--service-principal",
          "HTTP/elsewhere.test@" + MitKdc.REALM));
      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("401") && run.out().contains("refused the Kerberos ticket of alice@"),
          run.toString());
      assertTrue(run.out().contains("the server offers") && run.out().contains("Negotiate"), run.toString());
      assertNothingOnTheToken(s, run);
    }
  }

  @Test
  void aPrincipalThatIsNoUserOfTheServer_isRefused() throws Exception {
    try (Stack s = stack.fresh("krb-mallory")) {
      Path cache = kdc.kinit("mallory", PASSWORD, kdc.krb5Conf);
      Cli run = run(s, "FILE:" + cache, kdc.krb5Conf, negotiateArgs(s));
      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("401"), run.toString());
      assertNothingOnTheToken(s, run);
    }
  }

  @Test
  void aClockAnHourOffTheKdcs_isSaidPlainly() throws Exception {
    Path skewed = kdc.skewed("+1h");
    try (Stack s = stack.fresh("krb-skew")) {
      Path cache = kdc.kinit("alice", PASSWORD, skewed);
      Cli run = run(s, "FILE:" + cache, skewed, negotiateArgs(s));
      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("clock is 1 h 0 min behind the KDC's") && run.out().contains("Clock skew"),
          run.toString());
      assertNothingOnTheToken(s, run);
    }
  }

  @Test
  void anAnswerWithoutTheServersProof_isNotBelieved() throws Exception {
    try (Stack s = stack.fresh("krb-mutual")) {
      Path cache = kdc.kinit("alice", PASSWORD, kdc.krb5Conf);
      // an impostor's 200 for the template list: right shape, but no Negotiate token proving it holds the key
      s.server.faults().replaceResponse("GET", ".*/profiletemplates$", 1, 200, "application/json; charset=utf-8",
          "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try {
        Cli run = run(s, "FILE:" + cache, kdc.krb5Conf, negotiateArgs(s));
        assertNotEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("mutual authentication failed"), run.toString());
        assertNothingOnTheToken(s, run);
      } finally {
        s.server.faults().clear();
      }
    }
  }

  /**
   * An impostor's SPNEGO reply that says "request-mic" and carries no Kerberos AP-REP: the JDK's SPNEGO context
   * calls itself established on it, so the check must reach the Kerberos context under it (review finding).
   */
  @Test
  void aForgedSpnegoReply_withoutTheKerberosProof_isNotBelieved() throws Exception {
    try (Stack s = stack.fresh("krb-forged")) {
      Path cache = kdc.kinit("alice", PASSWORD, kdc.krb5Conf);
      s.server.faults().replaceResponse("GET", ".*/profiletemplates$", 1, 200, "application/json; charset=utf-8",
          "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          Map.of("WWW-Authenticate", "Negotiate oRQwEqADCgEDoQsGCSqGSIb3EgECAg=="));
      try {
        Cli run = run(s, "FILE:" + cache, kdc.krb5Conf, negotiateArgs(s));
        assertNotEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("does not prove it is HTTP/localhost"), run.toString());
        assertNothingOnTheToken(s, run);
      } finally {
        s.server.faults().clear();
      }
    }
  }
}
