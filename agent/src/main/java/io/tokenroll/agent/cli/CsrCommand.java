package io.tokenroll.agent.cli;

import io.tokenroll.agent.csr.CsrBuilder;
import io.tokenroll.agent.csr.CsrRequest;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.TokenSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Set;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "csr", header = "Generates a key on a token and a PKCS#10 request signed by it.",
    description = {
        "  tokenroll csr -t alice-card --type EC-P256 --subject CN=Alice > alice.csr",
        "                                  (new P-256 key, CSR signed with SHA-256 on the token)",
        "  tokenroll csr -t alice-card --key-id 3f1a… --subject CN=Alice --hash SHA384",
        "                                  (a new CSR for an existing key)",
        "",
        "The request is verified against its own public key before it is printed (PEM on stdout, or --out)."})
final class CsrCommand extends BaseCommand {
  record Result(String keyId, String label, String keySpec, String signatureAlgorithm, String csr) {
  }

  @Mixin
  TokenOptions token;

  @Option(names = "--type", paramLabel = "<spec>", converter = KeySpecConverter.class, defaultValue = "RSA-2048",
      description = "Key to generate: RSA-2048 (default), RSA-3072, RSA-4096, EC-P256, EC-P384.")
  KeySpec type;

  @Option(names = "--key-id", paramLabel = "<hex>", description = "Use this existing key instead of generating one.")
  String keyId;

  @Option(names = "--label", paramLabel = "<label>", defaultValue = "tokenroll",
      description = "CKA_LABEL for a generated key (default: ${DEFAULT-VALUE}).")
  String label;

  @Option(names = "--subject", paramLabel = "<dn>", defaultValue = "",
      description = "Subject, e.g. CN=Alice,O=Example (default: empty, the CA fills it in).")
  String subject;

  @Option(names = "--hash", paramLabel = "<hash>",
      description = "SHA1, SHA256, SHA384 or SHA512 (default: SHA256; SHA384 for P-384).")
  String hash;

  @Option(names = "--pss", description = "Sign an RSA request with RSASSA-PSS instead of PKCS#1 v1.5.")
  boolean pss;

  @Option(names = "--usage", split = ",", paramLabel = "<usage>",
      description = "Key usages to request and give the key: sign (default), decrypt, key-agreement.")
  Set<String> usages;

  @Option(names = "--out", paramLabel = "<file>", description = "Write the PEM request here instead of stdout.")
  Path outFile;

  @Override
  protected int run() throws Exception {
    var keyUsages = KeygenCommand.parseUsages(usages);
    CsrRequest request = new CsrRequest(CsrRequest.subject(subject), keyUsages);
    try (TokenModule module = token.loadModule(); TokenSession session = token.openLoggedIn(module);
         var lock = token.lock(session)) { // never interleaved with another tokenroll process's writes
      KeyId id;
      String keyLabel = label;
      if (keyId != null) {
        id = KeyId.parse(keyId);
      } else {
        id = session.generateKeyPair(new KeyTemplate(type, label, keyUsages, false, null, false)).ref().id();
      }
      PublicKey publicKey = session.publicKey(id);
      KeySpec spec = keyId != null ? KeySpec.of(publicKey) : type;
      SignatureAlgorithm algorithm = hash == null && !pss ? SignatureAlgorithm.defaultFor(spec)
          : SignatureAlgorithm.forKey(spec.type(), hash, pss);
      if (algorithm.isWeak()) {
        note("warning: signing the request with " + algorithm.digest() + ", which is weak");
      }
      TokenSigner signer = session.signer(id, algorithm);
      keyLabel = signer.key().label();
      PKCS10CertificationRequest csr = CsrBuilder.build(signer, request);
      String pem = Pem.encode("CERTIFICATE REQUEST", csr.getEncoded());
      if (outFile != null) {
        Files.writeString(outFile, pem);
      }
      if (json()) {
        printJson(new Result(id.hex(), keyLabel, spec.toString(), algorithm.jcaName(), pem));
      } else if (outFile == null) {
        out().print(pem);
        out().flush();
      }
      note((keyId == null ? "generated " + spec + " key" : "used key") + " id=" + id + " on "
          + session.info().describe() + "; request signed with " + algorithm.jcaName()
          + (outFile == null ? "" : ", written to " + outFile));
      return ExitCodes.OK;
    }
  }
}
