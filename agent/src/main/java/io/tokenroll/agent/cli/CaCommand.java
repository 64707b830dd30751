package io.tokenroll.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tokenroll ca}: AD CS directly, over its web enrollment pages, with ICertRequest2's semantics. */
@Command(name = "ca", header = "Talks to AD CS directly, like certreq, over its web enrollment pages (/certsrv).",
    description = {
        "  tokenroll ca enroll --template SmartcardLogon -t alice-card --pin-source prompt \\",
        "      --config https://ca.example.com/certsrv --user alice   (key on the token, chain installed)",
        "  tokenroll ca submit alice.csr --template User \\",
        "      --config https://ca.example.com/certsrv --user alice > alice.cer",
        "  tokenroll ca retrieve 42 --config https://ca.example.com/certsrv --user alice",
        "  tokenroll ca cacert --chain --config https://ca.example.com/certsrv",
        "  tokenroll ca property CASIGCERTCOUNT --json \\",
        "      --config https://ca.example.com/certsrv",
        "",
        "--config is the web enrollment URL (ICertRequest2's config string). The",
        "password comes from --password-source (default: prompt), never an option.",
        "Pending and denied requests end with exit code 3 and show the request id,",
        "the disposition message and the HRESULT. docs/ca-direct.md maps every",
        "call to its HTTP exchange."},
    subcommands = {CaEnrollCommand.class, CaSubmitCommand.class, CaRetrieveCommand.class, CaCertCommand.class, CaPropertyCommand.class,
        CommandLine.HelpCommand.class})
public final class CaCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
