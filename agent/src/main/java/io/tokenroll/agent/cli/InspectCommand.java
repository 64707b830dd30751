package io.tokenroll.agent.cli;

import io.tokenroll.agent.http.PasswordSource;
import io.tokenroll.agent.response.InvalidResponseException;
import io.tokenroll.agent.response.Inspector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", header = "Decodes a CM answer, CMC response, PKCS#7, PFX, CSR or certificate.",
    description = {
        "  tokenroll inspect answer.json          (a certificatedata answer: each item, its CMC status and chain)",
        "  tokenroll inspect response.p7          (a CMC Full PKI Response or a certs-only PKCS#7, DER/PEM/base64)",
        "  tokenroll inspect key.pfx --password-source prompt",
        "",
        "Nothing is written anywhere; private keys are never printed."})
final class InspectCommand extends BaseCommand {
  @Parameters(paramLabel = "<file>", description = "The file to decode.")
  Path file;

  @Option(names = "--password-source", paramLabel = "<source>", description = "The PFX password's source.")
  String passwordSource;

  @Override
  protected int run() throws Exception {
    byte[] bytes = InputFiles.read(file, null);
    char[] password = passwordSource == null ? null : PasswordSource.read(passwordSource, "PFX password");
    Map<String, Object> description;
    try {
      description = Inspector.inspect(bytes, password);
    } catch (InvalidResponseException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, file + ": " + e.getMessage());
    }
    if (json()) {
      printJson(description);
    } else {
      print(description, "");
      out().flush();
    }
    if (description.get(Inspector.PROBLEMS) instanceof List<?> problems) {
      throw new CliException(ExitCodes.INVALID_INPUT, file + ": " + problems.size()
          + " problem(s) that would stop an installation; the first: " + problems.get(0));
    }
    return ExitCodes.OK;
  }

  private void print(Object value, String indent) {
    if (value instanceof Map<?, ?> m) {
      for (var e : m.entrySet()) {
        if (e.getValue() instanceof Map<?, ?> || e.getValue() instanceof List<?> l && !l.isEmpty()
            && !(l.get(0) instanceof String)) {
          out().println(indent + e.getKey() + ":");
          print(e.getValue(), indent + "  ");
        } else {
          out().println(indent + e.getKey() + ": " + e.getValue());
        }
      }
    } else if (value instanceof List<?> l) {
      int i = 1;
      for (Object o : l) {
        out().println(indent + "[" + i++ + "]");
        print(o, indent + "  ");
      }
    } else {
      out().println(indent + value);
    }
  }
}
