package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.cmserver.CmServerConfig;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens as ADFS issues them for the CM resource: cmserver checks an RS256 JWT against the token-signing
 * certificate; tokenroll reads the token from a file and sends it. A token the server refuses (expired, or signed
 * by another key) ends before any key is made.
 */
class BearerE2eTest {
  private static KeyPair adfs;
  private static Stack stack;

  @BeforeAll
  static void server() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    adfs = g.generateKeyPair();
    Path dir = Backends.privateDirectory("tokenroll-adfs-");
    Path signing = dir.resolve("adfs-signing.pem");
    Files.writeString(signing, Pem.encode("CERTIFICATE", Forge.cert(adfs.getPublic(), "CN=ADFS Signing", false,
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)), null,
        adfs.getPrivate()).getEncoded()));
    stack = new Stack(SoftHsm2.get().newToken("bearer"), null, cfg -> cfg.withBearer(
        new CmServerConfig.Bearer(signing, "https://localhost/certificatemanagement")));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** A JWT as ADFS writes one: RS256, the CM resource as audience, the user's UPN. */
  static String jwt(PrivateKey key, String upn, Instant expires) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5t\":\"test\"}".getBytes(
        StandardCharsets.UTF_8));
    String claims = b64.encodeToString(("{\"aud\":\"https://localhost/certificatemanagement\",\"iss\":"
        + "\"http://adfs.example.test/adfs/services/trust\",\"iat\":" + (expires.getEpochSecond() - 3600)
        + ",\"exp\":" + expires.getEpochSecond() + ",\"upn\":\"" + upn + "\",\"appid\":"
        + "\"70A8B8B1-862C-4473-80AB-4E55BAE45B4F\"}").getBytes(StandardCharsets.UTF_8));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + b64.encodeToString(rs256.sign());
  }

  private static Cli enroll(Stack s, String token) {
    Path file = Backends.writeSecret(s.dir.resolve("token"), token);
    List<String> args = new ArrayList<>(s.enrollArgs("Smart Card Logon EC"));
    int user = args.indexOf("--user");
    args.subList(user, user + 4).clear();
    args.addAll(List.of("--auth", "bearer", "--token-source", "file:" + file));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void aTokenFromTheIssuer_enrollsAsItsUser() throws Exception {
    try (Stack s = stack.fresh("bearer-ok")) {
      String token = jwt(adfs.getPrivate(), "alice@example.test", Instant.now().plus(Duration.ofHours(1)));
      Cli run = enroll(s, token);
      assertEquals(0, run.exitCode(), run.toString());
      var requests = s.server.admin().requests();
      assertEquals("alice", requests.get(requests.size() - 1).originator());
      assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size());
      assertFalse(run.toString().contains(token.substring(token.lastIndexOf('.') + 1)), "the token is not shown");
      String journal = Files.readString(Files.list(s.state.resolve("enrollments")).findFirst().orElseThrow());
      assertFalse(journal.contains(token.substring(0, 20)), "only the token's source is journaled");
      assertTrue(journal.contains("BEARER"), journal);
    }
  }

  @Test
  void anExpiredToken_orOneSignedByAnotherKey_isRefused_andNothingIsMade() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    String[] refused = {
        jwt(adfs.getPrivate(), "alice@example.test", Instant.now().minus(Duration.ofHours(1))),
        jwt(g.generateKeyPair().getPrivate(), "alice@example.test", Instant.now().plus(Duration.ofHours(1)))};
    for (int i = 0; i < refused.length; i++) {
      try (Stack s = stack.fresh("bearer-refused-" + i)) {
        Cli run = enroll(s, refused[i]);
        assertNotEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().contains("401") && run.err().contains("refused the bearer token")
            && run.err().contains("the server offers") && run.err().contains("Bearer"), run.toString());
        assertEquals(List.of(), s.objects(), "nothing on the token");
      }
    }
  }

  @Test
  void whatCannotBeAToken_isRefusedBeforeItIsSent() throws Exception {
    try (Stack s = stack.fresh("bearer-bad")) {
      Cli run = enroll(s, "not a token\u001b[31m");
      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(run.err().contains("a character a token cannot have"), run.toString());
      Cli missing = Cli.run("enroll", "--server", s.server.baseUri().toString(), "--template", "x", "--auth",
          "bearer", "--state-dir", s.state.toString());
      assertEquals(ExitCodes.INVALID_INPUT, missing.exitCode(), missing.toString());
      assertTrue(missing.err().contains("--token-source"), missing.toString());
    }
  }
}
