package io.tokenroll.agent.cli;

import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.pkcs11.TokenSession;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "objects", header = "Lists the keys and certificates on a token.",
    description = {
        "  tokenroll objects -t alice-card --pin-source file:~/.pin   (everything, after logging in)",
        "  tokenroll objects -t alice-card --public                   (public objects only, no PIN)",
        "  tokenroll objects -t alice-card --id 3f1a… --json          (the objects of one key, as JSON)"})
final class ObjectsCommand extends BaseCommand {
  @Mixin
  TokenOptions token;

  @Option(names = "--public", description = "Do not log in; list only the objects visible without a PIN.")
  boolean publicOnly;

  @Option(names = "--id", paramLabel = "<hex>", description = "Only objects with this CKA_ID.")
  String id;

  @Option(names = "--label", paramLabel = "<label>", description = "Only objects with this CKA_LABEL.")
  String label;

  @Option(names = "--class", paramLabel = "<class>",
      description = "Only objects of this class: ${COMPLETION-CANDIDATES}.")
  ObjectClass objectClass;

  /** Each key with its certificate together, CA certificates last. */
  private static final java.util.Comparator<TokenObject> BY_KEY = java.util.Comparator
      .comparing((TokenObject o) -> o.category() == io.tokenroll.pkcs11.CertificateCategory.AUTHORITY)
      .thenComparing(o -> o.id() == null ? "" : o.id().hex())
      .thenComparing(TokenObject::objectClass);

  @Override
  protected int run() throws Exception {
    ObjectQuery query = new ObjectQuery(objectClass, id == null ? null : KeyId.parse(id), label);
    try (TokenModule module = token.loadModule();
         TokenSession session = publicOnly ? module.open(token.uri()) : token.openLoggedIn(module)) {
      List<TokenObject> objects = session.find(query).stream().sorted(BY_KEY).toList();
      if (json()) {
        printJson(objects.stream().map(Views::object).toList());
        return ExitCodes.OK;
      }
      Output.Table table = new Output.Table("CLASS", "ID", "LABEL", "KEY", "DETAILS");
      for (TokenObject o : objects) {
        Views.ObjectView v = Views.object(o);
        String details = o.certificate() != null
            ? v.subject() + " (" + v.category() + ", serial " + v.serial() + ", until " + v.notAfter() + ")"
            : Views.join(v.flags());
        table.row(v.objectClass(), v.id(), v.label(), v.key(), details);
      }
      table.print(out());
      if (objects.isEmpty()) {
        note("no objects" + (query.isEmpty() ? "" : " match") + " on " + session.info().describe());
      }
      return ExitCodes.OK;
    }
  }
}
