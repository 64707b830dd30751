package io.tokenroll.agent.provision;

import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.pin.PinSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Card preparation at the helpdesk, "blank card in, enrolled card out": each token present and not yet initialised
 * when a run starts is initialised (C_InitToken with the security officer's PIN, then the user PIN set by the
 * security officer) with a label from the run's pattern. Only those present at the start: SoftHSM2 always offers
 * one more free slot, which a loop would initialise for ever.
 */
final class BlankTokens {
  /** The tokens initialised, and for each blank that could not be, its failure for the report. */
  record Result(List<TokenInfo> initialised, List<CardResult> failures) {
  }

  private BlankTokens() {
  }

  static Result initialise(TokenModule module, List<TokenInfo> present, Provisioning.Init init,
                           String pinPattern) {
    List<TokenInfo> blanks = present.stream().filter(t -> !t.has(TokenInfo.Flag.TOKEN_INITIALIZED)).toList();
    if (blanks.size() > 1 && !init.labelPattern().contains("{n}")) {
      throw new IllegalArgumentException(blanks.size() + " blank tokens, one label '" + init.labelPattern()
          + "': give a pattern with {n}");
    }
    if (pinPattern.contains("{serial}")) {
      throw new IllegalArgumentException("--init with a PIN source naming {serial}: a blank token has its serial "
          + "only once initialised; name its PIN file by {label}");
    }
    Set<String> taken = new HashSet<>();
    present.forEach(t -> taken.add(t.label()));
    List<TokenInfo> made = new ArrayList<>();
    List<CardResult> failures = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < blanks.size(); i++) {
      String label = init.labelPattern();
      if (label.contains("{n}")) {
        do {
          label = init.labelPattern().replace("{n}", Integer.toString(++n));
        } while (taken.contains(label));
      }
      taken.add(label);
      long started = System.nanoTime();
      try {
        if (label.length() > 32) {
          throw new IllegalArgumentException("the label '" + label + "' is longer than a token's 32 characters");
        }
        String userPins = Provisioning.pinSource(pinPattern, label, "");
        made.add(module.initializeToken(label, PinSource.parse(init.soPinSource()), PinSource.parse(userPins)));
      } catch (TokenException | IllegalArgumentException e) { // that blank fails; the others go on
        failures.add(new CardResult(label, "", CardResult.Outcome.FAILED, "cannot initialise the blank token: "
            + e.getMessage(), null, List.of(), (System.nanoTime() - started) / 1_000_000, java.util.Map.of()));
      }
    }
    return new Result(made, failures);
  }
}
