package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.KeyPlans;
import io.tokenroll.agent.enroll.ServerProtocol;
import io.tokenroll.agent.enroll.Workflow;
import io.tokenroll.pkcs11.KeySpec;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "enroll", header = "Enrolls a token directly with AD CS: key on the token, certificate from the CA.",
    description = {
        "  tokenroll ca enroll --config https://ca.example.com/certsrv --template SmartcardLogon \\",
        "      -t alice-card --pin-source prompt --user alice --type EC-P256",
        "                       (key generated on the card, CSR signed by it, submitted, chain installed)",
        "",
        "The same journal and state machine as the MIM CM enrollment: a request the CA takes under submission is",
        "journaled with its CA request id, and 'tokenroll resume' finishes it with RetrievePending once a CA",
        "manager has issued it. A denial removes the key and shows the CA's message and HRESULT."})
final class CaEnrollCommand extends EnrollmentCommand {
  @Mixin
  CaOptions ca;

  @Mixin
  TokenOptions token;

  @Option(names = "--template", required = true, paramLabel = "<name>",
      description = "The CA's certificate template (sent as CertificateTemplate:<name>).")
  String template;

  @Option(names = "--type", paramLabel = "<spec>", converter = KeySpecConverter.class, defaultValue = "RSA-2048",
      description = "Key to generate: RSA-2048 (default), RSA-3072, RSA-4096, EC-P256, EC-P384.")
  KeySpec type;

  @Option(names = "--subject", paramLabel = "<dn>", defaultValue = "",
      description = "Subject of the request (default: empty; AD CS builds it from the directory).")
  String subject;

  @Option(names = "--hash", paramLabel = "<hash>", description = "SHA256 (default; SHA384 for P-384), SHA384, SHA512, SHA1.")
  String hash;

  @Option(names = "--usage", split = ",", paramLabel = "<usage>",
      description = "sign (default), decrypt, key-agreement; comma-separated.")
  Set<String> usages;

  @Option(names = "--label", paramLabel = "<label>", description = "CKA_LABEL of key and certificate (default: the template).")
  String label;

  @Override
  protected int run() throws Exception {
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    e.protocol = ServerProtocol.CERTSRV;
    e.server = ca.configUrl();
    ca.connection.applyTo(e);
    e.template = template;
    try {
      e.keys.add(KeyPlans.of(type, hash, subject, KeygenCommand.parseUsages(usages), false,
          label == null ? template : label));
    } catch (IllegalArgumentException ex) {
      throw new CliException(ExitCodes.INVALID_INPUT, ex.getMessage());
    }
    token.recordOn(e);
    return drive(state.journal(), e, false);
  }
}
