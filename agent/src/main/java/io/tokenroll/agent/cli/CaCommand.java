package io.tokenroll.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tokenroll ca}: AD CS directly, over its web enrollment pages, with ICertRequest2's semantics. */
@Command(name = "ca", header = "Talks to AD CS directly, like certreq, over its web enrollment pages (/certsrv).",
    description = {
        "  tokenroll ca submit alice.csr --config https://ca.example.com/certsrv --template User \\",
        "      --user alice --password-source prompt > alice.cer",
        "  tokenroll ca retrieve 42 --config https://ca.example.com/certsrv --user alice --password-source prompt",
        "  tokenroll ca cacert --config https://ca.example.com/certsrv --chain > ca-chain.pem",
        "  tokenroll ca property CASIGCERTCOUNT --config https://ca.example.com/certsrv --json",
        "",
        "--config is the web enrollment URL, ICertRequest2's config string. Pending and denied requests end",
        "with exit code 3 and show the request id, the disposition message and the HRESULT; docs/ca-direct.md",
        "maps every call to its HTTP exchange."},
    subcommands = {CaSubmitCommand.class, CaRetrieveCommand.class, CaCertCommand.class, CaPropertyCommand.class})
public final class CaCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
