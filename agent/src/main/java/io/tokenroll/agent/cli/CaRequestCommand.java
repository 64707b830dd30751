package io.tokenroll.agent.cli;

import io.tokenroll.agent.certsrv.CertsrvClient;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.certsrv.OutputFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code ca submit} and {@code ca retrieve} share: the connection, and reporting the disposition. Issued: the
 * certificate (and with --chain its CA certificates) as PEM on stdout or in --out. Pending, denied, revoked: exit
 * 3 with the request id, the disposition message and the HRESULT. An error disposition: exit 1.
 */
abstract class CaRequestCommand extends BaseCommand {
  record Result(int requestId, String disposition, int dispositionCode, String status, String statusName,
                String statusText, String message, List<CaOutput.CertificateView> certificates) {
  }

  @Mixin
  CaOptions ca;

  @Option(names = "--chain", description = "With the certificate, its CA certificates (from certnew.p7b).")
  boolean chain;

  @Option(names = "--out", paramLabel = "<file>", description = "Write the PEM certificate(s) here, not to stdout.")
  Path outFile;

  /** Reports the outcome the client holds after Submit or RetrievePending returned {@code disposition}. */
  protected int report(CertsrvClient client, int disposition) throws Exception {
    int id = client.getRequestId();
    int status = client.getLastStatus();
    String message = client.getDispositionMessage();
    List<X509Certificate> certs = disposition == Disposition.CR_DISP_ISSUED ? issued(client) : List.of();
    String name = Disposition.fromCode(disposition).name();
    if (!certs.isEmpty() && outFile != null) {
      Files.writeString(outFile, CaOutput.pem(certs));
    }
    if (json()) {
      printJson(new Result(id, name, disposition, CaOutput.hex(status), HResult.name(status),
          HResult.errorMessageText(status, 0), message, CaOutput.views(certs)));
    } else if (!certs.isEmpty() && outFile == null) {
      out().print(CaOutput.pem(certs));
      out().flush();
    } else {
      new Output.Table("REQUEST", "DISPOSITION", "STATUS", "MESSAGE")
          .row(id, name, CaOutput.hex(status), message).print(out());
    }
    return switch (disposition) {
      case Disposition.CR_DISP_ISSUED -> {
        X509Certificate leaf = certs.get(0);
        note("request " + id + " issued: " + leaf.getSubjectX500Principal() + ", serial "
            + leaf.getSerialNumber().toString(16) + ", valid until " + leaf.getNotAfter().toInstant()
            + (outFile == null ? "" : "; written to " + outFile));
        yield ExitCodes.OK;
      }
      case Disposition.CR_DISP_UNDER_SUBMISSION -> throw new CliException(ExitCodes.UNEXPECTED_STATE, "request "
          + id + " is pending (" + message + "); once a CA manager has issued it: tokenroll ca retrieve " + id
          + " --config " + ca.config);
      case Disposition.CR_DISP_DENIED -> throw new CliException(ExitCodes.UNEXPECTED_STATE, "request " + id
          + " was denied: " + message + " " + CaOutput.describe(status));
      case Disposition.CR_DISP_ERROR -> throw new CliException(ExitCodes.FAILED, "request " + id + " failed: "
          + message + " " + CaOutput.describe(status));
      default -> throw new CliException(ExitCodes.UNEXPECTED_STATE, "request " + id + " is " + name + ": "
          + message + (status == HResult.S_OK ? "" : " " + CaOutput.describe(status)));
    };
  }

  private List<X509Certificate> issued(CertsrvClient client) throws Exception {
    try {
      int flags = OutputFlags.CR_OUT_BINARY | (chain ? OutputFlags.CR_OUT_CHAIN : 0);
      List<X509Certificate> certs = CaOutput.certificates(CaOutput.bytes(client.getCertificate(flags)));
      if (chain) {
        byte[] leaf = CaOutput.bytes(client.getCertificate(OutputFlags.CR_OUT_BINARY)); // cached: no second fetch
        if (!java.util.Arrays.equals(certs.get(0).getEncoded(), leaf)) {
          throw new CliException(ExitCodes.FAILED, "the chain of request " + client.getRequestId()
              + " does not start with its certificate");
        }
      }
      return certs;
    } catch (CertSrvException e) {
      throw CaOutput.failed(e);
    }
  }
}
