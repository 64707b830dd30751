package io.tokenroll.agent.cli;

import io.tokenroll.agent.certsrv.CertsrvClient;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.protocol.certsrv.CaProperty;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "property", header = "Reads a CA property (CR_PROP_*) from AD CS.",
    description = {
        "  tokenroll ca property CASIGCERTCOUNT --config https://ca.example.com/certsrv",
        "  tokenroll ca property BASECRL --out ca.crl.pem \\",
        "      --config https://ca.example.com/certsrv",
        "  tokenroll ca property 20 --index 0 --json \\",
        "      --config https://ca.example.com/certsrv     (CRLSTATE of CA key 0)",
        "",
        "ICertRequest2::GetCAProperty over web enrollment. It answers CASIGCERTCOUNT,",
        "CASIGCERT, CASIGCERTCHAIN, BASECRL, DELTACRL, CACERTSTATE, CRLSTATE and",
        "CANAME; the others need the CA's DCOM interface: E_NOTIMPL. Indexed",
        "properties default to the current CA key (index -1)."})
final class CaPropertyCommand extends BaseCommand {
  record Result(String property, int id, String displayName, String type, boolean indexed, String flags,
                int index, Object value, String meaning) {
  }

  @Mixin
  CaOptions ca;

  @Parameters(paramLabel = "<name|id>", description = "The property: CASIGCERTCOUNT, CR_PROP_CANAME, 11 …")
  String name;

  @Option(names = "--index", paramLabel = "<k>", description = "For indexed properties: which CA key (0 = first).")
  Integer index;

  @Option(names = "--out", paramLabel = "<file>", description = "Write a binary value (PEM) here, not to stdout.")
  Path outFile;

  @Override
  protected int run() throws Exception {
    CaProperty p;
    try {
      p = CaProperty.parse(name);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, "unknown CA property '" + name + "'; use a CR_PROP_ name or "
          + "number, e.g. CASIGCERTCOUNT or 11");
    }
    int k = index != null ? index : p.indexed() ? -1 : 0;
    if (index != null && (!p.indexed() && index != 0 || index < -1)) {
      throw new CliException(ExitCodes.INVALID_INPUT, "CR_PROP_" + p + (p.indexed() ? " needs an index of -1 or "
          + "more" : " is not indexed: leave out --index"));
    }
    boolean binary = p.type() == PropType.PROPTYPE_BINARY;
    CertsrvClient client = ca.client();
    Object value;
    try {
      value = client.getCAProperty(ca.config, p.id(), k, p.type(), binary ? OutputFlags.CR_OUT_BINARY : 0);
    } catch (CertSrvException e) {
      throw CaOutput.failed(e);
    }
    Object shown = binary ? pem(p, CaOutput.bytes((String) value)) : value;
    String meaning = value instanceof Integer n ? meaning(p, n) : null;
    if (binary && outFile != null) {
      Files.writeString(outFile, (String) shown);
    }
    if (json()) {
      printJson(new Result(p.name(), p.id(), p.displayName(), typeName(p.type()), p.indexed(),
          String.format("0x%x", p.flags()), k, shown, meaning));
    } else if (binary) {
      if (outFile == null) {
        out().print(shown);
        out().flush();
      }
      note("CR_PROP_" + p + (p.indexed() ? " index " + k : "") + (outFile == null ? "" : " written to " + outFile));
    } else {
      new Output.Table("PROPERTY", "ID", "INDEX", "VALUE").row("CR_PROP_" + p, p.id(), p.indexed() ? k : null,
          value + (meaning == null ? "" : " (" + meaning + ")")).print(out());
    }
    return ExitCodes.OK;
  }

  /** Certificates and chains as CERTIFICATE blocks, leaf first; CRLs as an X509 CRL block. */
  private static String pem(CaProperty p, byte[] der) throws Exception {
    return switch (p) {
      case BASECRL, DELTACRL -> Pem.encode("X509 CRL", der);
      default -> CaOutput.pem(CaOutput.certificates(der));
    };
  }

  private static String meaning(CaProperty p, int value) {
    return switch (p) {
      case CACERTSTATE, CRLSTATE -> switch (value) {
        case PropType.CA_DISP_INCOMPLETE -> "CA_DISP_INCOMPLETE";
        case PropType.CA_DISP_ERROR -> "CA_DISP_ERROR";
        case PropType.CA_DISP_REVOKED -> "CA_DISP_REVOKED";
        case PropType.CA_DISP_VALID -> "CA_DISP_VALID";
        case PropType.CA_DISP_INVALID -> "CA_DISP_INVALID";
        case PropType.CA_DISP_UNDER_SUBMISSION -> "CA_DISP_UNDER_SUBMISSION";
        default -> null;
      };
      default -> null;
    };
  }

  private static String typeName(int type) {
    return switch (type) {
      case PropType.PROPTYPE_LONG -> "LONG";
      case PropType.PROPTYPE_DATE -> "DATE";
      case PropType.PROPTYPE_BINARY -> "BINARY";
      default -> "STRING";
    };
  }
}
