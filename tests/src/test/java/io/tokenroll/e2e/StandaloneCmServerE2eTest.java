package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * cmserver as a user starts it — {@code tokenroll cmserver} in its own JVM with a state directory — and its admin
 * commands run against it: what it prints on start, its credential file, a pending request listed and approved
 * from the command line, and the admin path closed to users.
 */
class StandaloneCmServerE2eTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void startsFromTheCommandLine_adminCommandsApproveAPendingEnrollment() throws Exception {
    Path dir = Backends.privateDirectory("tokenroll-cmserver-");
    Path state = dir.resolve("server");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", ChildProcess.JAR.toString(), "cmserver", "--port", "0", "--state-dir", state.toString()));
    Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String printed = readUntil(server, "admin and generated user passwords");
      Matcher url = Pattern.compile("listening on (https://127\\.0\\.0\\.1:\\d+/)").matcher(printed);
      assertTrue(url.find(), printed);
      assertTrue(printed.matches("(?s).*root CA SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}.*"), printed);
      Path credentials = state.resolve("credentials.properties");
      assertTrue(printed.contains(credentials.toString()), printed);
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(credentials));
      Properties secrets = new Properties();
      try (var in = Files.newInputStream(credentials)) {
        secrets.load(in);
      }
      String alicePassword = secrets.getProperty("user.alice");
      assertTrue(!printed.contains(alicePassword) && !printed.contains(secrets.getProperty("cmserver-admin")),
          "no password is printed");
      Path password = Backends.writeSecret(dir.resolve("alice.pw"), alicePassword);
      Path trust = state.resolve("ca-root.pem");

      TestToken token = SoftHsm2.get().newToken("standalone");
      List<String> enroll = List.of("enroll", "--server", url.group(1), "--template",
          "Smart Card Logon with Approval", "--token", token.label(), "--pin-source", "file:" + token.userPinFile(),
          "--user", "alice", "--password-source", "file:" + password, "--trust", trust.toString(),
          "--state-dir", dir.resolve("agent").toString(), "--json");
      Cli pending = Cli.run(enroll.toArray(String[]::new));
      assertEquals(ExitCodes.UNEXPECTED_STATE, pending.exitCode(), pending.toString());
      JsonNode v = JSON.readTree(pending.out());
      String request = v.get("request").asText();

      Cli list = ChildProcess.run(java.util.Map.of(), List.of("cmserver", "list", "--state-dir", state.toString()));
      assertEquals(0, list.exitCode(), list.toString());
      assertTrue(list.out().contains(request), list.out());
      JsonNode listed = JSON.readTree(list.out()); // one document: it pipes into jq
      assertTrue(listed.get("requests").isArray() && listed.get("caRequests").isArray(), list.out());
      assertTrue(listed.get("requests").toString().contains(request), list.out());
      Cli approve = ChildProcess.run(java.util.Map.of(), List.of("cmserver", "approve", request, "--state-dir",
          state.toString()));
      assertEquals(0, approve.exitCode(), approve.toString());
      Cli resumed = Cli.run("resume", v.get("id").asText(), "--state-dir", dir.resolve("agent").toString());
      assertEquals(0, resumed.exitCode(), resumed.toString());

      assertEquals(401, adminAsUser(url.group(1), trust, alicePassword), "the admin path is not for users");
    } finally {
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static String readUntil(Process p, String marker) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String line; System.nanoTime() < deadline && (line = r.readLine()) != null; ) {
      seen.append(line).append('\n');
      if (line.contains(marker)) {
        return seen.toString();
      }
    }
    throw new AssertionError("cmserver did not start:\n" + seen);
  }

  private static int adminAsUser(String base, Path trust, String password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (var in = Files.newInputStream(trust)) {
      ks.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    HttpsURLConnection c = (HttpsURLConnection) URI.create(base + "cmserver-admin/requests").toURL().openConnection();
    c.setSSLSocketFactory(tls.getSocketFactory());
    c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(
        ("alice:" + password).getBytes(StandardCharsets.UTF_8)));
    int status = c.getResponseCode();
    c.disconnect();
    return status;
  }
}
