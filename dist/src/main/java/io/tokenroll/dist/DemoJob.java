package io.tokenroll.dist;

import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.csr.CsrBuilder;
import io.tokenroll.agent.csr.CsrRequest;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.pin.PinSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** The demo's work, inside the child JVM that sees the private SoftHSM2 token directory. */
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
    try (TokenModule module = TokenModule.load(SOFTHSM)) {
      TokenInfo token = module.initializeToken("tokenroll-demo", so, user);
      out.println("== created SoftHSM2 " + token.describe() + " in " + dir);
      try (TokenSession session = module.open(Pkcs11Uri.forToken(token), user)) {
        for (KeySpec spec : List.of(KeySpec.rsa(2048), KeySpec.parse("EC-P256"))) {
          GeneratedKey key = session.generateKeyPair(KeyTemplate.signing(spec, "demo " + spec));
          SignatureAlgorithm alg = SignatureAlgorithm.defaultFor(spec);
          PKCS10CertificationRequest csr = CsrBuilder.build(session.signer(key.ref().id(), alg),
              new CsrRequest(CsrRequest.subject("CN=tokenroll demo " + spec + ",O=tokenroll"),
                  EnumSet.of(io.tokenroll.pkcs11.KeyUsage.SIGN)));
          out.println();
          out.println("== " + spec + " key generated on the token: id " + key.ref().id()
              + " (private key sensitive, not extractable)");
          out.println("== CSR signed on the token with " + alg.jcaName() + "; signature verified:");
          out.print(Pem.encode("CERTIFICATE REQUEST", csr.getEncoded()));
        }
      }
    }
    return ExitCodes.OK;
  }
}
