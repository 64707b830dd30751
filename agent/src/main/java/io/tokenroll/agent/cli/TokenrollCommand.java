package io.tokenroll.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command; its subcommands are added by {@link Cli}, only the one a run needs. */
@Command(name = "tokenroll", mixinStandardHelpOptions = true, versionProvider = Version.class,
    scope = CommandLine.ScopeType.INHERIT, // --help and --version on every command
    usageHelpWidth = 116,
    header = "Enrolls certificates for keys that never leave their hardware token.",
    description = {
        "",
        "tokenroll generates key pairs on PKCS#11 tokens (smart cards, TPM-backed tokens, HSMs, SoftHSM2), has",
        "certificate requests signed by the token, gets them issued by Microsoft Identity Manager Certificate",
        "Management or by AD CS, and installs the results on the token.",
        "",
        "Examples:",
        "  tokenroll enroll --server https://cm.example.com/ --template \"Smart Card Logon\" -t my-card \\",
        "      --pin-source prompt --user me --password-source prompt   (certificates from MIM CM onto a card)",
        "  tokenroll status                                 (every enrollment, its state, what it waits for)",
        "  tokenroll tokens                                 (the tokens SoftHSM2 or $TOKENROLL_MODULE offers)",
        "  tokenroll objects -t my-card --pin-source prompt (keys and certificates on a token)",
        "  tokenroll csr -t my-card --type EC-P256 --subject CN=Me --pin-source env:CARD_PIN > me.csr",
        "  tokenroll demo                                   (everything on a throwaway SoftHSM2 token)",
        "",
        "PINs come from --pin-source file:<path>, env:<VARIABLE>, prompt or pinpad — never from the command line.",
        "A wrong PIN is reported with the token's tries state and never retried.",
        ""},
    footer = {"", "Run 'tokenroll help <command>' for a command's options.", "",
        "Exit codes: 0 ok, 1 failed, 2 bad input, 3 cannot go on now, 4 internal error,",
        "10 wrong PIN, 11 PIN locked, 12 token not found, 13 not supported by the token,",
        "14 PKCS#11 library not loaded."})
public final class TokenrollCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
      description = "Log what happens (to stderr) and show stack traces of failures.")
  public void setVerbose(boolean verbose) {
    Cli.setVerbose(verbose);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
