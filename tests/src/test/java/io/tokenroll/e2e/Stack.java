package io.tokenroll.e2e;

import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.cmserver.CmServer;
import io.tokenroll.cmserver.CmServerConfig;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything an end-to-end test runs against, all real: a SoftHSM2 token of its own, an embedded cmserver over
 * HTTPS on loopback (with its CA's certificates written to a trust file), a user with a random password in a
 * file, and a private tokenroll state directory.
 */
final class Stack implements AutoCloseable {
  final TestToken token;
  final CmServer server;
  final Path dir;
  final Path trust;
  final Path password;
  final Path state;
  final String user = "alice";
  private final boolean ownsServer;

  Stack(String name) throws Exception {
    this(name, null);
  }

  Stack(String name, Path serverState) throws Exception {
    this(SoftHsm2.get().newToken(name), serverState);
  }

  /** A stack around a token of any backend that runs in this process (SoftHSM2, tpm2-pkcs11). */
  Stack(TestToken token, Path serverState) throws Exception {
    this(token, serverState, java.util.function.UnaryOperator.identity());
  }

  /** As above, with the server's configuration changed by {@code server} (Kerberos, say). */
  Stack(TestToken token, Path serverState, java.util.function.UnaryOperator<CmServerConfig> serverConfig)
      throws Exception {
    this.token = token;
    dir = Backends.privateDirectory("tokenroll-e2e-");
    String pw = Backends.randomHex(16);
    password = Backends.writeSecret(dir.resolve("alice.password"), pw);
    server = CmServer.start(serverConfig.apply(CmServerConfig.defaults().withPort(0).withStateDirectory(serverState)
        .withUser(user, pw, "alice@example.test")));
    trust = dir.resolve("ca.pem");
    StringBuilder pem = new StringBuilder();
    for (X509Certificate c : server.trustAnchors()) {
      pem.append(Pem.encode("CERTIFICATE", c.getEncoded()));
    }
    Files.writeString(trust, pem);
    state = dir.resolve("state");
    ownsServer = true;
  }

  private Stack(Stack base, String name) throws Exception {
    token = SoftHsm2.get().newToken(name);
    server = base.server;
    dir = Backends.privateDirectory("tokenroll-e2e-");
    password = base.password;
    trust = base.trust;
    state = dir.resolve("state");
    ownsServer = false;
  }

  /** Another token and state directory against the same server. */
  Stack fresh(String name) throws Exception {
    return new Stack(this, name);
  }

  /** The arguments every enrollment of this stack needs. */
  List<String> enrollArgs(String template) {
    return new ArrayList<>(List.of("enroll", "--server", server.baseUri().toString(), "--template", template,
        "--module", token.library().toString(),
        "--token", token.label(), "--pin-source", "file:" + token.userPinFile(), "--user", user,
        "--password-source", "file:" + password, "--trust", trust.toString(), "--state-dir", state.toString()));
  }

  Cli enroll(String template, String... more) {
    List<String> args = enrollArgs(template);
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  Cli cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", state.toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  /** The backend's name, as the test fixtures call it ("softhsm2", "tpm2-pkcs11"). */
  String backend() {
    return token.backend();
  }

  List<TokenObject> objects() throws Exception {
    try (TokenSession s = token.open()) {
      return s.find(ObjectQuery.all());
    }
  }

  List<TokenObject> objects(ObjectClass cls) throws Exception {
    return objects().stream().filter(o -> o.objectClass() == cls).toList();
  }

  /** pkcs11-tool's view of the token (a different PKCS#11 consumer reading what tokenroll wrote). */
  String pkcs11Tool(String... args) {
    List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", token.library().toString(),
        "--token-label", token.label(), "--login", "--pin", Backends.readSecret(token.userPinFile())));
    cmd.addAll(List.of(args));
    return Backends.run(cmd, token.environment(), 60);
  }

  @Override
  public void close() {
    if (ownsServer) {
      server.close();
    }
  }
}
