package io.tokenroll.agent.http.kerberos;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ticket cache reader on caches written here in MIT's layout (the e2e tests read real ones from kinit), and
 * the errors KerberosLogin gives before the JDK would say only "Unable to obtain password from user".
 */
class TicketCacheTest {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  /** A version 4 cache for alice@EXAMPLE.TEST with one TGT ending at {@code end}, and kinit's clock offset. */
  static byte[] cache(Instant end, Integer offsetSeconds) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeShort(0x0504);
    if (offsetSeconds == null) {
      out.writeShort(0);
    } else {
      out.writeShort(12);
      out.writeShort(1);
      out.writeShort(8);
      out.writeInt(offsetSeconds);
      out.writeInt(0);
    }
    principal(out, "EXAMPLE.TEST", "alice");
    credential(out, List.of("X-CACHECONF:"), List.of("krb5_ccache_conf_data", "fast_avail"), end); // config entry
    credential(out, List.of("EXAMPLE.TEST"), List.of("krbtgt", "EXAMPLE.TEST"), end);
    credential(out, List.of("EXAMPLE.TEST"), List.of("HTTP", "cm.example.test"), end);
    return bytes.toByteArray();
  }

  private static void credential(DataOutputStream out, List<String> realm, List<String> server, Instant end)
      throws IOException {
    principal(out, "EXAMPLE.TEST", "alice");
    principal(out, realm.get(0), server.toArray(String[]::new));
    out.writeShort(18); // aes256
    data(out, new byte[32]);
    out.writeInt((int) NOW.getEpochSecond());
    out.writeInt((int) NOW.getEpochSecond());
    out.writeInt((int) end.getEpochSecond());
    out.writeInt(0);
    out.writeByte(0);
    out.writeInt(0x40e10000);
    out.writeInt(0); // addresses
    out.writeInt(0); // authdata
    data(out, new byte[300]); // ticket
    data(out, new byte[0]);
  }

  private static void principal(DataOutputStream out, String realm, String... components) throws IOException {
    out.writeInt(1);
    out.writeInt(components.length);
    data(out, realm.getBytes(StandardCharsets.UTF_8));
    for (String c : components) {
      data(out, c.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void data(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  @Test
  void readsThePrincipalTheTgtAndTheOffset() throws Exception {
    TicketCache c = TicketCache.parse(cache(NOW.plusSeconds(3600), -3600));
    assertEquals("alice@EXAMPLE.TEST", c.defaultPrincipal());
    assertEquals(1, c.tgts().size(), "the service ticket and the config entry are not TGTs");
    assertEquals(NOW.plusSeconds(3600), c.tgt("EXAMPLE.TEST").orElseThrow().endTime());
    assertEquals(Duration.ofHours(-1), c.kdcOffset().orElseThrow());
    assertTrue(TicketCache.parse(cache(NOW, null)).kdcOffset().isEmpty());
  }

  @Test
  void refusesWhatIsNotACache() throws Exception {
    byte[] good = cache(NOW.plusSeconds(60), null);
    assertThrows(IOException.class, () -> TicketCache.parse("not a cache".getBytes(StandardCharsets.UTF_8)));
    for (int cut : new int[] {1, 3, 10, 40, good.length - 1}) {
      assertThrows(IOException.class, () -> TicketCache.parse(Arrays.copyOf(good, cut)), "cut at " + cut);
    }
    byte[] huge = good.clone();
    huge[2 + 2 + 4 + 4] = 0x7f; // the high byte of the realm's length: far beyond the file
    assertThrows(IOException.class, () -> TicketCache.parse(huge));
  }

  @Test
  void saysWhatIsWrongBeforeTheJdkTries(@TempDir Path dir) throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Path file = dir.resolve("cc");
    assertTrue(message(file, null, clock).contains("does not exist"));
    Files.write(file, cache(NOW.minusSeconds(1), null));
    assertTrue(message(file, null, clock).contains("expired"));
    Files.write(file, cache(NOW.plusSeconds(3600), 3600));
    assertTrue(message(file, null, clock).contains("1 h 0 min behind the KDC's"), message(file, null, clock));
    Files.write(file, cache(NOW.plusSeconds(3600), -600));
    assertTrue(message(file, null, clock).contains("10 min 0 s ahead of the KDC's"));
    Files.write(file, cache(NOW.plusSeconds(3600), 60)); // within the tolerance
    assertEquals("alice@EXAMPLE.TEST", KerberosLogin.check(file, null, clock).defaultPrincipal());
    assertTrue(message(file, "bob@EXAMPLE.TEST", clock).contains("not of bob@EXAMPLE.TEST"));
  }

  private static String message(Path cache, String principal, Clock clock) {
    return assertThrows(KerberosException.class, () -> KerberosLogin.check(cache, principal, clock)).getMessage();
  }

  @Test
  void theEnvironmentIsReadAsMitToolsReadIt(@TempDir Path dir) throws Exception {
    Path conf = Files.writeString(dir.resolve("krb5.conf"), "[libdefaults]\n");
    KerberosEnvironment env = new KerberosEnvironment(Map.of("KRB5_CONFIG", dir.resolve("missing") + ":" + conf,
        "KRB5CCNAME", "FILE:/tmp/x"));
    if (System.getProperty("java.security.krb5.conf") == null) {
      assertEquals(conf, env.configFile(), "the first existing entry of the list");
    }
    assertEquals(Path.of("/tmp/x"), env.ticketCache());
    assertEquals(Path.of("/tmp/y"), new KerberosEnvironment(Map.of("KRB5CCNAME", "/tmp/y")).ticketCache());
    for (String unreadable : List.of("KCM:", "DIR:/run/user/1000/krb5cc", "KEYRING:persistent:1000", "MEMORY:x")) {
      String m = assertThrows(KerberosException.class,
          () -> new KerberosEnvironment(Map.of("KRB5CCNAME", unreadable)).ticketCache()).getMessage();
      assertTrue(m.contains("Java cannot read") && m.contains("FILE:"), m);
    }
    if (System.getProperty("java.security.krb5.conf") == null) {
      // SSSD's way: default_ccache_name = KCM: in a file krb5.conf includes
      Path d = Files.createDirectories(dir.resolve("krb5.conf.d"));
      Files.writeString(d.resolve("kcm_default_ccache"), "[libdefaults]\n  default_ccache_name = KCM:\n");
      Path sssd = Files.writeString(dir.resolve("sssd-krb5.conf"), "includedir " + d + "\n[libdefaults]\n");
      String m = assertThrows(KerberosException.class, () -> new KerberosEnvironment(Map.of("KRB5_CONFIG",
          sssd.toString())).ticketCache()).getMessage();
      assertTrue(m.contains("default_ccache_name is KCM"), m);
      Path file = Files.writeString(dir.resolve("file-krb5.conf"),
          "[realms]\n default_ccache_name = KCM:\n[libdefaults]\n default_ccache_name = FILE:%{TEMP}/cc_%{uid}\n");
      assertEquals(Path.of("/tmp/cc_" + KerberosEnvironment.uid()),
          new KerberosEnvironment(Map.of("KRB5_CONFIG", file.toString())).ticketCache(),
          "only [libdefaults] counts, with %{TEMP} and %{uid} expanded");
      assertTrue(new KerberosEnvironment(Map.of("KRB5_CONFIG", conf.toString())).ticketCache().toString()
          .startsWith("/tmp/krb5cc_"));
    }
  }
}
