package io.tokenroll.agent.cli;

import io.tokenroll.agent.certsrv.BstrEncoding;
import io.tokenroll.agent.certsrv.CertsrvClient;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", header = "Submits a certificate request to AD CS and prints what it issued.",
    description = {
        "  tokenroll ca submit alice.csr --template User \\",
        "      --config https://ca.example.com/certsrv --user alice > alice.cer",
        "  tokenroll ca submit web.csr --template WebServer \\",
        "      --attrib SAN:dns=www.example.com --chain --out web.pem --json \\",
        "      --config https://ca.example.com/certsrv --user alice",
        "",
        "<file> is a PKCS#10 request (or CMC, PKCS#7) in PEM, base64 or DER, e.g.",
        "from 'tokenroll csr'. It goes to certfnsh.asp (ICertRequest2::Submit).",
        "Issued: the certificate is printed. Pending: exit 3 with the request id",
        "for 'tokenroll ca retrieve'. Denied: exit 3 with the message and HRESULT."})
final class CaSubmitCommand extends CaRequestCommand {
  @Parameters(paramLabel = "<file>", description = "The request: PEM, base64 or DER.")
  Path file;

  @Option(names = "--template", paramLabel = "<name>",
      description = "The certificate template (sent as the attribute CertificateTemplate:<name>).")
  String template;

  @Option(names = "--attrib", paramLabel = "<name:value>",
      description = "A request attribute, e.g. SAN:dns=www.example.com; repeatable.")
  List<String> attributes = new ArrayList<>();

  @Override
  protected int run() throws Exception {
    byte[] der = request(InputFiles.read(file, null));
    String attributeLines = attributeLines();
    CertsrvClient client = ca.client();
    int disposition;
    try {
      disposition = client.submit(RequestFlags.CR_IN_BINARY | RequestFlags.CR_IN_FORMATANY,
          new String(der, StandardCharsets.ISO_8859_1), attributeLines, ca.config);
    } catch (CertSrvException e) {
      throw CaOutput.failed(e);
    }
    return report(client, disposition);
  }

  /** The request's DER, checked here so that a wrong file is bad input, not a CA failure. */
  private byte[] request(byte[] content) {
    try {
      byte[] der = BstrEncoding.decodeRequest(new String(content, StandardCharsets.ISO_8859_1),
          RequestFlags.CR_IN_ENCODEANY);
      io.tokenroll.agent.encoding.DerBounds.check(der, file.toString());
      if (isPkcs10(der) || isSignedData(der)) {
        return der;
      }
    } catch (CertSrvException e) {
      // not decodable: reported below
    } catch (io.tokenroll.agent.encoding.DerBounds.TooComplexException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
    }
    throw new CliException(ExitCodes.INVALID_INPUT, file + " is not a PKCS#10, CMC or PKCS#7 certificate request");
  }

  private static boolean isPkcs10(byte[] der) {
    try {
      return new PKCS10CertificationRequest(der).getSubjectPublicKeyInfo() != null;
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean isSignedData(byte[] der) {
    try {
      new CMSSignedData(der);
      return true;
    } catch (CMSException | RuntimeException e) {
      return false;
    }
  }

  /** ICertRequest2's attribute string: "Name:Value" lines, the template first. */
  private String attributeLines() {
    List<String> lines = new ArrayList<>();
    if (template != null) {
      lines.add("CertificateTemplate:" + checked(template, "--template"));
    }
    for (String a : attributes) {
      if (a.indexOf(':') <= 0) {
        throw new CliException(ExitCodes.INVALID_INPUT, "--attrib '" + a + "' is not Name:Value");
      }
      lines.add(checked(a, "--attrib"));
    }
    return String.join("\n", lines);
  }

  private static String checked(String value, String option) {
    if (value.isBlank() || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
      throw new CliException(ExitCodes.INVALID_INPUT, option + " must be one non-empty line");
    }
    return value.strip();
  }
}
