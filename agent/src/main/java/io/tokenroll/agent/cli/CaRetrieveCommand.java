package io.tokenroll.agent.cli;

import io.tokenroll.agent.certsrv.CertsrvClient;
import io.tokenroll.protocol.certsrv.CertSrvException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "retrieve", header = "Retrieves a request's certificate from AD CS once it is issued.",
    description = {
        "  tokenroll ca retrieve 42 --config https://ca.example.com/certsrv --user alice",
        "  tokenroll ca retrieve 42 --chain --out alice.pem --json \\",
        "      --config https://ca.example.com/certsrv --user alice",
        "",
        "Asks certfnsh.asp about the request (Mode=chkpnd; RetrievePending).",
        "Issued: the certificate is printed. Still pending, or denied: exit 3 with",
        "the message and the HRESULT. An unknown id is CERTSRV_E_PROPERTY_EMPTY",
        "(exit 1)."})
final class CaRetrieveCommand extends CaRequestCommand {
  @Parameters(paramLabel = "<id>", description = "The CA request id that 'ca submit' reported.")
  int requestId;

  @Override
  protected int run() throws Exception {
    if (requestId <= 0) {
      throw new CliException(ExitCodes.INVALID_INPUT, "a CA request id is a positive number, not " + requestId);
    }
    CertsrvClient client = ca.client();
    int disposition;
    try {
      disposition = client.retrievePending(requestId, ca.config);
    } catch (CertSrvException e) {
      throw CaOutput.failed(e);
    }
    return report(client, disposition);
  }
}
