package io.tokenroll.agent.cli;

import io.tokenroll.agent.certsrv.CertsrvClient;
import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cacert", header = "Prints the CA's signing certificate, or its chain, from AD CS.",
    description = {
        "  tokenroll ca cacert --config https://ca.example.com/certsrv > ca.pem",
        "  tokenroll ca cacert --chain --out chain.pem \\",
        "      --config https://ca.example.com/certsrv",
        "  tokenroll ca cacert --index 0 --json --config https://ca.example.com/certsrv",
        "",
        "Without --index: the current CA certificate (GetCACertificate: certcarc.asp,",
        "then certnew.cer?ReqID=CACert). With --index k: CA certificate number k",
        "(CR_PROP_CASIGCERT, or CASIGCERTCHAIN with --chain)."})
final class CaCertCommand extends BaseCommand {
  record Result(Integer index, boolean chain, List<CaOutput.CertificateView> certificates) {
  }

  @Mixin
  CaOptions ca;

  @Option(names = "--chain", description = "The CA certificate and the CA certificates above it (a PKCS#7).")
  boolean chain;

  @Option(names = "--index", paramLabel = "<k>",
      description = "CA certificate number k (0 = the first; the CA gets a new one at each renewal).")
  Integer index;

  @Option(names = "--out", paramLabel = "<file>", description = "Write the PEM certificate(s) here, not to stdout.")
  Path outFile;

  @Override
  protected int run() throws Exception {
    if (index != null && index < 0) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--index must be 0 or more");
    }
    CertsrvClient client = ca.client();
    String bstr;
    try {
      if (index == null) {
        bstr = client.getCACertificate(0, ca.config, OutputFlags.CR_OUT_BINARY
            | (chain ? OutputFlags.CR_OUT_CHAIN : 0));
      } else {
        CaProperty p = chain ? CaProperty.CASIGCERTCHAIN : CaProperty.CASIGCERT;
        bstr = (String) client.getCAProperty(ca.config, p.id(), index, PropType.PROPTYPE_BINARY,
            OutputFlags.CR_OUT_BINARY);
      }
    } catch (CertSrvException e) {
      throw CaOutput.failed(e);
    }
    List<X509Certificate> certs = CaOutput.certificates(CaOutput.bytes(bstr));
    if (outFile != null) {
      Files.writeString(outFile, CaOutput.pem(certs));
    }
    if (json()) {
      printJson(new Result(index, chain, CaOutput.views(certs)));
    } else if (outFile == null) {
      out().print(CaOutput.pem(certs));
      out().flush();
    }
    note("CA certificate" + (index == null ? "" : " " + index) + ": " + certs.get(0).getSubjectX500Principal()
        + ", valid until " + certs.get(0).getNotAfter().toInstant()
        + (chain ? " (" + certs.size() + " certificates in the chain)" : "")
        + (outFile == null ? "" : "; written to " + outFile));
    return ExitCodes.OK;
  }
}
