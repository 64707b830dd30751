package io.tokenroll.agent.cli;

import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenObject;
import io.tokenroll.agent.enroll.AuditedSession;
import io.tokenroll.pkcs11.TokenSession;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "delete", header = "Deletes objects from a token.",
    description = {
        "  tokenroll delete -t alice-card --id 3f1a…                    (a key pair and its certificates)",
        "  tokenroll delete -t alice-card --label old --class certificate (certificates labelled 'old')",
        "",
        "Needs --id or --label; prints what it deleted."})
final class DeleteCommand extends BaseCommand {
  @Mixin
  TokenOptions token;

  @Mixin
  StateOptions state;

  @Mixin
  AdminKeyOptions adminKey;

  @Option(names = "--id", paramLabel = "<hex>", description = "Objects with this CKA_ID.")
  String id;

  @Option(names = "--label", paramLabel = "<label>", description = "Objects with this CKA_LABEL.")
  String label;

  @Option(names = "--class", paramLabel = "<class>", description = "Only this class: ${COMPLETION-CANDIDATES}.")
  ObjectClass objectClass;

  @Override
  protected int run() throws Exception {
    if (id == null && label == null) {
      throw new CliException(ExitCodes.INVALID_INPUT, "give --id or --label: tokenroll never deletes everything");
    }
    ObjectQuery query = new ObjectQuery(objectClass, id == null ? null : KeyId.parse(id), label);
    try (TokenModule module = token.loadModule(); TokenSession session = AuditedSession.forCommand(token.openLoggedIn(module),
             state.audit(), "delete");
         var lock = token.lock(session)) { // never interleaved with another tokenroll process's writes
      adminKey.authenticate(session);
      List<TokenObject> doomed = session.find(query);
      if (doomed.isEmpty()) {
        throw new CliException(ExitCodes.INVALID_INPUT, "no objects match on " + session.info().describe());
      }
      int deleted = session.delete(query);
      if (json()) {
        printJson(doomed.stream().map(Views::object).toList());
      } else {
        Output.Table t = new Output.Table("DELETED", "ID", "LABEL");
        doomed.forEach(o -> t.row(Views.lower(o.objectClass()), o.id() == null ? null : o.id().hex(), o.label()));
        t.print(out());
      }
      note("deleted " + deleted + " object(s) from " + session.info().describe());
      return ExitCodes.OK;
    }
  }
}
