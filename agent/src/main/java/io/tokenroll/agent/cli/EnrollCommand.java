package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "enroll", header = "Enrolls a token for certificates from a MIM CM server.",
    description = {
        "  tokenroll enroll --server https://cm.example.com/ --template \"Smart Card Logon\" -t alice-card \\",
        "      --pin-source prompt --user alice --password-source prompt",
        "                       (keys generated on the card, CSRs signed by it, certificates installed next to them)",
        "",
        "The MIM CM flow: create the request; if it needs approval, stop (tokenroll resume continues it later);",
        "bind the token as the request's card; read the generation options; generate each key on the token and",
        "sign its CSR there; submit; check and install every item of the answer; mark the request Completed.",
        "Each step is journaled before it happens, so a crash or a kill loses nothing: tokenroll resume goes on."})
final class EnrollCommand extends EnrollmentCommand {
  @Mixin
  ServerOptions server;

  @Mixin
  TokenOptions token;

  @Mixin
  RequestOptions request;


  @Option(names = "--ksp", paramLabel = "<name=uri>",
      description = "A Windows key storage provider name the server may ask for, and the PKCS#11 token it stands for "
          + "(repeatable), e.g. --ksp \"Contoso Smart Card Key Storage Provider=pkcs11:token=alice-card\".")
  Map<String, String> ksp = new LinkedHashMap<>();


  @Option(names = "--server-pin", paramLabel = "<where>",
      description = "Where a PIN the server proposes (templates with a server-chosen user PIN) goes for you: show "
          + "(this terminal, once) or file:<path> (a new 0600 file). Never logged or journaled.")
  String serverPin;

  @Option(names = "--so-pin-source", paramLabel = "<source>",
      description = "The security officer PIN, to set a server-proposed PIN on a card whose user PIN was never set.")
  String soPinSource;

  @Override
  protected int run() throws Exception {
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    if (serverPin != null) {
      if (serverPin.equals("show")) {
        if (System.console() == null) {
          throw new CliException(ExitCodes.INVALID_INPUT, "--server-pin show needs a terminal; use "
              + "--server-pin file:<path>");
        }
      } else if (!serverPin.startsWith("file:") || serverPin.length() == 5
          || !java.nio.file.Files.isDirectory(java.nio.file.Path.of(serverPin.substring(5)).toAbsolutePath()
              .getParent())) {
        throw new CliException(ExitCodes.INVALID_INPUT, "--server-pin must be show or file:<path> in an existing "
            + "directory");
      } else if (java.nio.file.Files.exists(java.nio.file.Path.of(serverPin.substring(5)),
          java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new CliException(ExitCodes.INVALID_INPUT, "--server-pin " + serverPin.substring(5) + " already exists; "
            + "tokenroll writes the PIN only to a new file");
      }
      e.serverPinOutput = serverPin.equals("show") ? serverPin
          : "file:" + java.nio.file.Path.of(serverPin.substring(5)).toAbsolutePath();
    }
    if (soPinSource != null) {
      io.tokenroll.pkcs11.pin.PinSource.parse(soPinSource);
      e.soPinSource = soPinSource;
    }
    server.applyTo(e);
    request.applyTo(e);
    ksp.forEach((name, uri) -> {
      try {
        io.tokenroll.pkcs11.Pkcs11Uri.parse(uri);
      } catch (IllegalArgumentException ex) {
        throw new CliException(ExitCodes.INVALID_INPUT, "--ksp " + name + ": " + ex.getMessage());
      }
      e.kspMap.put(name, uri);
    });
    token.recordOn(e);
    // Not journaled yet: NEW has no side effect. The first journal write is the intent to create the request,
    // after the PIN was checked — a wrong PIN or an unknown template leaves nothing behind.
    return drive(state.journal(), e, false);
  }

}
