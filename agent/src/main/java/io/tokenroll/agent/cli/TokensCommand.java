package io.tokenroll.agent.cli;

import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tokens", header = "Lists the tokens a PKCS#11 library offers.",
    description = {
        "  tokenroll tokens                          (tokens of SoftHSM2, or of $TOKENROLL_MODULE)",
        "  tokenroll tokens -m /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so --mechanisms",
        "                                            (smart cards through OpenSC, with what they can do)",
        "",
        "Shows slot, label, serial, manufacturer, model, flags and the user PIN's tries state. No login is needed."})
final class TokensCommand extends BaseCommand {
  @Mixin
  TokenOptions token;

  @Option(names = "--mechanisms", description = "Also list each token's mechanisms with their key sizes.")
  boolean mechanisms;

  @Override
  protected int run() throws Exception {
    try (TokenModule module = token.loadModule()) {
      List<TokenInfo> tokens = module.tokens();
      if (json()) {
        printJson(tokens.stream().map(t -> Views.token(t, mechanisms)).toList());
        return ExitCodes.OK;
      }
      Output.Table table = new Output.Table("SLOT", "LABEL", "SERIAL", "MANUFACTURER", "MODEL", "USER PIN", "FLAGS");
      for (TokenInfo t : tokens) {
        Views.Token v = Views.token(t, false);
        table.row(v.slotId(), v.label().isEmpty() ? "(uninitialised)" : v.label(), v.serial(), v.manufacturer(),
            v.model(), v.userPin(), Views.join(v.flags()));
      }
      table.print(out());
      if (mechanisms) {
        for (TokenInfo t : tokens) {
          out().println();
          out().println("Mechanisms of slot " + t.slotId() + " ('" + t.label() + "'):");
          Output.Table m = new Output.Table("MECHANISM", "MIN KEY", "MAX KEY");
          t.mechanisms().forEach(x -> m.row(x.name(), x.minKeySize(), x.maxKeySize()));
          m.print(out());
        }
      }
      if (tokens.isEmpty()) {
        note("no tokens present in " + module.library());
      }
      return ExitCodes.OK;
    }
  }
}
