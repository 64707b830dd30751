package io.tokenroll.dist;

import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.cmserver.CmServer;
import io.tokenroll.cmserver.CmServerConfig;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.pin.PinSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * The demo's work, inside the child JVM that sees the private SoftHSM2 token directory: a fresh token, an
 * embedded cmserver (a MIM CM server with a real CA, HTTPS on loopback, in memory), and two real enrollments
 * through the CLI, each checked: keys generated on the token, CSRs signed by it, certificates installed beside them.
 */
final class DemoJob {
  private static final Path SOFTHSM = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  private final Path dir;
  private final PrintStream out = System.out;

  DemoJob(Path dir) {
    this.dir = dir;
  }

  int run() throws Exception {
    PinSource user = PinSource.parse("file:" + dir.resolve("user.pin"));
    PinSource so = PinSource.parse("file:" + dir.resolve("so.pin"));
    TokenInfo token;
    try (TokenModule module = TokenModule.load(SOFTHSM)) {
      token = module.initializeToken("tokenroll-demo", so, user);
    }
    out.println("== a fresh SoftHSM2 " + token.describe() + " in " + dir);

    byte[] pw = new byte[18];
    new SecureRandom().nextBytes(pw);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(pw);
    Path passwordFile = secret(dir.resolve("demo.password"), password);
    try (CmServer server = CmServer.start(CmServerConfig.defaults().withPort(0).withStateDirectory(null)
        .withUser("demo", password, "demo@tokenroll.test"))) {
      Path trust = dir.resolve("cmserver-ca.pem");
      StringBuilder pem = new StringBuilder();
      for (X509Certificate c : server.trustAnchors()) {
        pem.append(Pem.encode("CERTIFICATE", c.getEncoded()));
      }
      Files.writeString(trust, pem);
      out.println("== an embedded MIM CM server with a real CA at " + server.baseUri() + " (HTTPS, verified)");

      for (String template : List.of("Smart Card Logon", "Smart Card Logon EC")) {
        out.println();
        out.println("== tokenroll enroll --template \"" + template + "\"");
        int code = cli("enroll", "--server", server.baseUri().toString(), "--template", template,
            "--token", token.label(), "--pin-source", "file:" + dir.resolve("user.pin"),
            "--user", "demo", "--password-source", "file:" + passwordFile, "--trust", trust.toString(),
            "--state-dir", dir.resolve("state").toString());
        if (code != ExitCodes.OK) {
          out.println("== enrollment failed (exit " + code + ")");
          return code;
        }
      }
      out.println();
      out.println("== what is on the token now (tokenroll objects):");
      return cli("objects", "--token", token.label(), "--pin-source", "file:" + dir.resolve("user.pin"));
    }
  }

  private static int cli(String... args) {
    return Main.commandLine(args).execute(args);
  }

  private static Path secret(Path file, String value) throws java.io.IOException {
    Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, value + "\n");
    return file;
  }

}
