package io.tokenroll.agent.cli;

import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.agent.token.KeyLookup;
import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.agent.enroll.AuditedSession;
import io.tokenroll.pkcs11.TokenSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-cert", header = "Stores certificates on a token, each bound to its key.",
    description = {
        "  tokenroll import-cert -t alice-card alice.pem     (leaf next to its key, CA certificates as authorities)",
        "  tokenroll import-cert -t alice-card --ca root.pem (trust anchors only)",
        "",
        "A certificate whose public key belongs to a private key on the token is written with that key's CKA_ID",
        "(category user). CA certificates are written as authority objects. A certificate that matches no key and",
        "is not a CA certificate is refused, and then nothing is written."})
final class ImportCertCommand extends BaseCommand {
  record Stored(String id, String label, String category, String subject) {
  }

  @Mixin
  TokenOptions token;

  @Mixin
  StateOptions state;

  @Mixin
  AdminKeyOptions adminKey;

  @Parameters(paramLabel = "<file>", description = "PEM (one or more certificates) or DER.")
  Path file;

  @Option(names = "--label", paramLabel = "<label>",
      description = "CKA_LABEL (default: the key's label for a leaf, the subject CN for a CA certificate).")
  String label;

  @Option(names = "--ca", description = "Store every certificate in the file as an authority certificate.")
  boolean allAuthorities;

  private record Plan(X509Certificate cert, KeyId id, CertificateCategory category, String label) {
  }

  @Override
  protected int run() throws Exception {
    List<X509Certificate> certs;
    try {
      certs = Pem.certificates(InputFiles.read(file, null));
    } catch (CertificateException | IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, file + " holds no readable certificate: " + e.getMessage());
    }
    try (TokenModule module = token.loadModule(); TokenSession session = AuditedSession.forCommand(token.openLoggedIn(module),
             state.audit(), "import-cert");
         var lock = token.lock(session)) { // never interleaved with another tokenroll process's writes
      adminKey.authenticate(session);
      List<Plan> plans = new ArrayList<>();
      for (X509Certificate cert : certs) {
        plans.add(plan(session, cert)); // decide everything before writing anything
      }
      List<Stored> stored = new ArrayList<>();
      for (Plan p : plans) {
        TokenObject o = session.storeCertificate(p.cert, p.id, p.label, p.category);
        stored.add(new Stored(o.id().hex(), o.label(), Views.lower(p.category),
            p.cert.getSubjectX500Principal().getName()));
      }
      if (json()) {
        printJson(stored);
      } else {
        Output.Table t = new Output.Table("ID", "LABEL", "CATEGORY", "SUBJECT");
        stored.forEach(s -> t.row(s.id(), s.label(), s.category(), s.subject()));
        t.print(out());
      }
      return ExitCodes.OK;
    }
  }

  private Plan plan(TokenSession session, X509Certificate cert) throws Exception {
    boolean isCa = cert.getBasicConstraints() >= 0;
    if (!allAuthorities) {
      Optional<KeyId> key = KeyLookup.privateKeyFor(session, cert.getPublicKey());
      if (key.isPresent()) {
        String keyLabel = label != null ? label
            : session.find(io.tokenroll.pkcs11.ObjectQuery.byId(key.get())).stream()
                .map(TokenObject::label).filter(l -> l != null && !l.isEmpty()).findFirst().orElse(null);
        return new Plan(cert, key.get(), CertificateCategory.USER, keyLabel);
      }
      if (!isCa) {
        throw new CliException(ExitCodes.INVALID_INPUT, "certificate '" + cert.getSubjectX500Principal()
            + "' matches no private key on " + session.info().describe() + "; nothing was written");
      }
    }
    return new Plan(cert, KeyId.subjectKeyIdOf(cert.getPublicKey()), CertificateCategory.AUTHORITY,
        label != null ? label : commonName(cert));
  }

  private static String commonName(X509Certificate cert) {
    var x500 = org.bouncycastle.asn1.x500.X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    var cn = x500.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
    return cn.length == 0 ? cert.getSubjectX500Principal().getName()
        : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(cn[0].getFirst().getValue());
  }
}
