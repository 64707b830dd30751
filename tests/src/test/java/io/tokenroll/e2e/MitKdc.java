package io.tokenroll.e2e;

import io.tokenroll.pkcs11.testing.Backends;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real MIT Kerberos KDC on loopback with a throwaway realm: database, stash and keytabs in a private temporary
 * directory, principals made with {@code kadmin.local}, tickets with {@code kinit}. {@link #skewed} starts a second
 * KDC on the same database whose clock runs ahead (libfaketime), for the "Clock skew too great" cases.
 */
final class MitKdc implements AutoCloseable {
  static final String REALM = "TOKENROLL.TEST";
  private static final Path KRB5KDC = Path.of("/usr/sbin/krb5kdc");
  private static final Path KADMIN_LOCAL = Path.of("/usr/sbin/kadmin.local");
  private static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

  final Path dir;
  final Path krb5Conf;
  private final Path kdcConf;
  private final List<Process> kdcs = new ArrayList<>();

  private MitKdc(Path dir) {
    this.dir = dir;
    this.krb5Conf = dir.resolve("krb5.conf");
    this.kdcConf = dir.resolve("kdc.conf");
  }

  /** Creates the realm's database and starts its KDC. */
  static MitKdc start() throws Exception {
    Backends.requireInstalled("MIT Kerberos KDC (krb5-kdc, krb5-admin-server, krb5-user)", KRB5KDC, KADMIN_LOCAL,
        Path.of("/usr/bin/kinit"));
    MitKdc kdc = new MitKdc(Backends.privateDirectory("tokenroll-kdc-"));
    int port = freePort();
    Files.writeString(kdc.kdcConf, """
        [kdcdefaults]
         kdc_listen = 127.0.0.1:%1$d
         kdc_tcp_listen = 127.0.0.1:%1$d
        [realms]
         %2$s = {
          database_name = %3$s/principal
          key_stash_file = %3$s/stash
          acl_file = %3$s/kadm5.acl
          max_life = 1h
          disable_last_success = true
          disable_lockout = true
         }
        [logging]
         kdc = FILE:%3$s/kdc.log
        """.formatted(port, REALM, kdc.dir));
    Files.writeString(kdc.krb5Conf, krb5Conf(port));
    kdc.run(List.of("/usr/sbin/kdb5_util", "create", "-s", "-r", REALM, "-P", Backends.randomHex(16)));
    kdc.kdcs.add(kdc.startKdc(kdc.kdcConf, port, Map.of()));
    return kdc;
  }

  private static String krb5Conf(int port) {
    return """
        [libdefaults]
         default_realm = %2$s
         dns_lookup_kdc = false
         dns_lookup_realm = false
         rdns = false
         udp_preference_limit = 1
        [realms]
         %2$s = {
          kdc = 127.0.0.1:%1$d
         }
        [domain_realm]
         localhost = %2$s
        """.formatted(port, REALM);
  }

  /**
   * A second KDC on the same database whose clock is {@code offset} ahead (e.g. "+1h"); returns the krb5.conf
   * that points at it.
   */
  Path skewed(String offset) throws Exception {
    Backends.requireInstalled("libfaketime (faketime)", FAKETIME);
    int port = freePort();
    Path conf = dir.resolve("kdc-skewed.conf");
    Files.writeString(conf, Files.readString(kdcConf).replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + port)
        .replace("kdc.log", "kdc-skewed.log"));
    kdcs.add(startKdc(conf, port, Map.of("LD_PRELOAD", FAKETIME.toString(), "FAKETIME", offset,
        "FAKETIME_DONT_RESET", "1")));
    Path krb5 = dir.resolve("krb5-skewed.conf");
    Files.writeString(krb5, krb5Conf(port));
    return krb5;
  }

  /** A user principal with this password. */
  void addUser(String name, String password) throws Exception {
    kadmin("addprinc -pw " + password + " " + name);
  }

  /** A service principal with a random key, written to {@code keytab}. */
  Path addService(String principal, Path keytab) throws Exception {
    kadmin("addprinc -randkey " + principal);
    kadmin("ktadd -k " + keytab + " " + principal);
    return keytab;
  }

  /** The principal's current key in a keytab, without changing it (what a helpdesk station is given). */
  Path exportKeytab(String principal, Path keytab) throws Exception {
    kadmin("ktadd -norandkey -k " + keytab + " " + principal);
    return keytab;
  }

  /** {@code kinit} into a private file cache; {@code krb5} picks the KDC. Extra arguments go before the name. */
  Path kinit(String user, String password, Path krb5, String... options) throws Exception {
    Path cache = Files.createTempFile(dir, "cc-", "");
    Files.delete(cache);
    List<String> cmd = new ArrayList<>(List.of("kinit"));
    cmd.addAll(List.of(options));
    cmd.add(user + "@" + REALM);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env(krb5));
    pb.environment().put("KRB5CCNAME", "FILE:" + cache);
    Process p = pb.start();
    p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(cache)) {
      throw new AssertionError("kinit " + user + " failed: " + out);
    }
    return cache;
  }

  /** The environment MIT tools need to use this realm. */
  Map<String, String> env(Path krb5) {
    return Map.of("KRB5_CONFIG", krb5.toString(), "KRB5_KDC_PROFILE", kdcConf.toString());
  }

  private void kadmin(String query) throws Exception {
    run(List.of(KADMIN_LOCAL.toString(), "-r", REALM, "-q", query));
  }

  private String run(List<String> cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env(krb5Conf));
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd.subList(0, 1)) + " failed: " + out);
    }
    return out;
  }

  private Process startKdc(Path conf, int port, Map<String, String> extraEnv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(KRB5KDC.toString(), "-n").redirectErrorStream(true)
        .redirectOutput(dir.resolve("krb5kdc-" + port + ".out").toFile());
    Map<String, String> env = new HashMap<>(env(krb5Conf));
    env.put("KRB5_KDC_PROFILE", conf.toString());
    env.putAll(extraEnv);
    pb.environment().putAll(env);
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("krb5kdc exited: " + Files.readString(dir.resolve("krb5kdc-" + port + ".out")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return p;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("krb5kdc did not listen on " + port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process p : kdcs) {
      p.destroy();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      p.destroyForcibly();
    }
  }
}
