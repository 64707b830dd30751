package io.tokenroll.agent.cli;

import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.KeyUsage;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.agent.enroll.AuditedSession;
import io.tokenroll.pkcs11.TokenSession;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "keygen", header = "Generates a key pair on a token.",
    description = {
        "  tokenroll keygen -t alice-card --type EC-P256 --label \"Alice signing\"",
        "                                  (a non-exportable signing key; CKA_ID = SHA-1 of its public key)",
        "  tokenroll keygen -t alice-card --type RSA-2048 --label enc --usage decrypt",
        "                                  (a decryption key)",
        "",
        "The private key is a private, sensitive token object that never leaves the token unless --exportable.",
        "Prints the key id and the public key."})
final class KeygenCommand extends BaseCommand {
  @Mixin
  TokenOptions token;

  @Mixin
  StateOptions state;

  @Mixin
  AdminKeyOptions adminKey;

  @Option(names = "--type", required = true, paramLabel = "<spec>", converter = KeySpecConverter.class,
      description = "RSA-2048, RSA-3072, RSA-4096, EC-P256 or EC-P384.")
  KeySpec type;

  @Option(names = "--label", required = true, paramLabel = "<label>", description = "CKA_LABEL of the key pair.")
  String label;

  @Option(names = "--usage", split = ",", paramLabel = "<usage>",
      description = "sign (default), decrypt, key-agreement; comma-separated.")
  Set<String> usages;

  @Option(names = "--id", paramLabel = "<hex>", description = "Use this CKA_ID instead of the public key's SHA-1.")
  String id;

  @Option(names = "--exportable", description = "Allow the private key to be extracted (CKA_EXTRACTABLE).")
  boolean exportable;

  @Option(names = "--always-authenticate", description = "Require the PIN for every signature (CKA_ALWAYS_AUTHENTICATE).")
  boolean alwaysAuthenticate;

  @Override
  protected int run() throws Exception {
    KeyTemplate template = new KeyTemplate(type, label, parseUsages(usages), exportable,
        id == null ? null : KeyId.parse(id), alwaysAuthenticate);
    try (TokenModule module = token.loadModule(); TokenSession session = AuditedSession.forCommand(token.openLoggedIn(module),
             state.audit(), "keygen");
         var lock = token.lock(session)) { // never interleaved with another tokenroll process's writes
      adminKey.authenticate(session);
      GeneratedKey key = session.generateKeyPair(template);
      String pem = Pem.encode("PUBLIC KEY", key.publicKey().getEncoded());
      if (json()) {
        printJson(Views.key(key, pem));
      } else {
        out().println("generated " + key.spec() + " key id=" + key.ref().id() + " label='" + label + "' on "
            + session.info().describe());
        out().print(pem);
        out().flush();
      }
      return ExitCodes.OK;
    }
  }

  static Set<KeyUsage> parseUsages(Set<String> names) {
    if (names == null || names.isEmpty()) {
      return EnumSet.of(KeyUsage.SIGN);
    }
    Set<KeyUsage> result = EnumSet.noneOf(KeyUsage.class);
    for (String n : names) {
      switch (n.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "sign", "signing" -> result.add(KeyUsage.SIGN);
        case "decrypt", "decryption" -> result.add(KeyUsage.DECRYPT);
        case "key-agreement", "keyagreement", "derive" -> result.add(KeyUsage.KEY_AGREEMENT);
        default -> throw new CliException(ExitCodes.INVALID_INPUT,
            "unknown key usage '" + n + "' (expected sign, decrypt or key-agreement)");
      }
    }
    return result;
  }
}
