package io.tokenroll.cmserver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.cmserver.CmServer;
import io.tokenroll.cmserver.CmServerConfig;
import io.tokenroll.cmserver.admin.AdminClient;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokenroll cmserver}: runs the server, and its admin subcommands talk to a running one. */
@Command(name = "cmserver", mixinStandardHelpOptions = true,
    header = "Runs a MIM CM REST and AD CS web enrollment test server with its own CA.",
    description = {
        "  tokenroll cmserver                      (HTTPS on 127.0.0.1:8443)",
        "  tokenroll cmserver --config cmserver.json --port 9443 --state-dir /srv/cms",
        "  tokenroll cmserver list                 (CM requests; CA requests held)",
        "  tokenroll cmserver approve <GUID>       (approve a Pending CM request)",
        "  tokenroll cmserver approve --ca <id>    (issue a request the CA holds)",
        "  tokenroll cmserver deny <GUID> --reason TEXT",
        "  tokenroll cmserver revoke <hex serial>",
        "",
        "State (CA keys, database, credentials) lives in ~/.tokenroll/cmserver unless",
        "--state-dir says otherwise. On start the server prints its URL, the root CA's",
        "SHA-256 fingerprint and the mode-0600 file holding the admin and generated",
        "user passwords; it never prints a password. The admin subcommands find the",
        "running server and its credential through the same state directory."},
    subcommands = {CmServerCommand.ListRequests.class, CmServerCommand.Approve.class, CmServerCommand.Deny.class,
        CmServerCommand.Revoke.class})
public final class CmServerCommand implements Callable<Integer> {
  static final Path DEFAULT_STATE = Path.of(System.getProperty("user.home"), ".tokenroll", "cmserver");

  @Option(names = "--config", paramLabel = "FILE", description = "JSON configuration (docs/cmserver.md); "
      + "built-in templates and users without it.")
  Path config;

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default 8443; 0 picks a free one).")
  Integer port;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default 127.0.0.1).")
  String bind;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the CA, database and credentials are "
      + "kept (default ~/.tokenroll/cmserver).")
  Path stateDir;

  @Option(names = "--http", description = "Plain HTTP instead of HTTPS; only allowed on a loopback address.")
  boolean plainHttp;

  @Option(names = "--keytab", paramLabel = "FILE", description = "Offer Negotiate (Kerberos) with this service "
      + "keytab (HTTP/<host> keys); needs --realm.")
  Path keytab;

  @Option(names = "--bearer-issuer", paramLabel = "PEM", description = "Accept bearer tokens (ADFS access tokens, "
      + "RS256) signed by this certificate's key.")
  Path bearerIssuer;

  @Option(names = "--bearer-audience", paramLabel = "URI", description = "The audience bearer tokens must name "
      + "(default https://<host>/certificatemanagement).")
  String bearerAudience;

  @Option(names = "--realm", paramLabel = "REALM", description = "The Kerberos realm whose principals log in as "
      + "the users of the same name (alice@REALM is alice).")
  String realm;

  @Override
  public Integer call() throws Exception {
    CmServerConfig cfg = config == null ? CmServerConfig.defaults() : CmServerConfig.load(config);
    Path state = stateDir != null ? stateDir : cfg.stateDirectory() != null ? cfg.stateDirectory() : DEFAULT_STATE;
    cfg = cfg.withStateDirectory(state);
    if (port != null) {
      cfg = cfg.withPort(port);
    }
    if (bind != null) {
      cfg = cfg.withBindAddress(bind);
    }
    if (plainHttp) {
      cfg = cfg.withPlainHttp(true);
    }
    if (bearerIssuer != null) {
      cfg = cfg.withBearer(new CmServerConfig.Bearer(bearerIssuer, bearerAudience));
    }
    if (keytab != null || realm != null) {
      try {
        cfg = cfg.withKerberos(new CmServerConfig.Kerberos(keytab, realm));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--keytab and --realm go "
            + "together: " + e.getMessage());
      }
    }
    CmServer server = CmServer.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "cmserver-shutdown"));
    byte[] root = server.trustAnchors().get(0).getEncoded();
    System.out.println("cmserver listening on " + server.baseUri());
    System.out.println("  MIM CM API:  " + server.baseUri() + "CertificateManagement/api/v1.0/");
    System.out.println("  /certsrv:    " + server.baseUri() + "certsrv/");
    System.out.println("  root CA SHA-256 fingerprint: " + HexFormat.ofDelimiter(":").withUpperCase()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(root)));
    System.out.println("  root CA certificate: " + state.resolve("ca-root.pem"));
    System.out.println("  admin and generated user passwords: " + server.credentialsFile().orElseThrow());
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** Options every admin subcommand shares. */
  static class AdminOptions {
    @Option(names = "--state-dir", paramLabel = "DIR", description = "State directory of the running server "
        + "(default ~/.tokenroll/cmserver).")
    Path stateDir;

    AdminClient client() throws Exception {
      return new AdminClient(stateDir == null ? DEFAULT_STATE : stateDir);
    }

    static int print(HttpResponse<String> r) throws Exception {
      if (!ok(r)) {
        return 1;
      }
      ObjectMapper json = new ObjectMapper();
      System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(r.body())));
      return 0;
    }

    static boolean ok(HttpResponse<String> r) {
      if (r.statusCode() / 100 != 2) {
        System.err.println("cmserver answered " + r.statusCode() + ": " + r.body());
        return false;
      }
      return true;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      header = "Lists every CM request and the CA requests held for a CA manager.",
      description = {"  tokenroll cmserver list", "  tokenroll cmserver list --state-dir /srv/cmserver"})
  static final class ListRequests extends AdminOptions implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      // one JSON document, so that the output can be piped to jq or parsed as a whole
      AdminClient c = client();
      HttpResponse<String> cm = c.send("GET", "requests", null);
      if (!ok(cm)) {
        return 1;
      }
      HttpResponse<String> ca = c.send("GET", "ca-requests", null);
      if (!ok(ca)) {
        return 1;
      }
      ObjectMapper json = new ObjectMapper();
      var both = json.createObjectNode();
      both.set("requests", json.readTree(cm.body()));
      both.set("caRequests", json.readTree(ca.body()));
      System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(both));
      return 0;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      header = "Approves a Pending CM request, or issues a CA request held for a CA manager.",
      description = {"  tokenroll cmserver approve 6f0c5e1a-…", "  tokenroll cmserver approve --ca 42"})
  static final class Approve extends AdminOptions implements Callable<Integer> {
    @Option(names = "--ca", description = "The id is a CA request id, not a CM request GUID.")
    boolean ca;

    @Parameters(paramLabel = "ID", description = "CM request GUID, or with --ca the CA request id.")
    String id;

    @Override
    public Integer call() throws Exception {
      String route = ca ? "ca-requests/" + Integer.parseInt(id) + "/approve"
          : "requests/" + UUID.fromString(id) + "/approve";
      return print(client().send("POST", route, null));
    }
  }

  @Command(name = "deny", mixinStandardHelpOptions = true,
      header = "Denies a Pending CM request, or a CA request held for a CA manager.",
      description = {"  tokenroll cmserver deny 6f0c5e1a-… --reason \"no card stock\"",
          "  tokenroll cmserver deny --ca 42"})
  static final class Deny extends AdminOptions implements Callable<Integer> {
    @Option(names = "--ca", description = "The id is a CA request id, not a CM request GUID.")
    boolean ca;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded with the denial.")
    String reason;

    @Parameters(paramLabel = "ID", description = "CM request GUID, or with --ca the CA request id.")
    String id;

    @Override
    public Integer call() throws Exception {
      String route = ca ? "ca-requests/" + Integer.parseInt(id) + "/deny"
          : "requests/" + UUID.fromString(id) + "/deny";
      String body = reason == null ? null : new ObjectMapper().createObjectNode().put("reason", reason).toString();
      return print(client().send("POST", route, body));
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      header = "Revokes an issued certificate by its serial number.",
      description = {"  tokenroll cmserver revoke 4f3a9c0e5b7d…", "  tokenroll cmserver revoke --state-dir DIR 4f3a…"})
  static final class Revoke extends AdminOptions implements Callable<Integer> {
    @Parameters(paramLabel = "SERIAL", description = "The certificate's serial number in hex.")
    String serial;

    @Override
    public Integer call() throws Exception {
      return print(client().send("POST", "certificates/" + new BigInteger(serial.replace(":", ""), 16)
          .toString(16) + "/revoke", null));
    }
  }

  /** Runs cmserver on its own: {@code java -cp … io.tokenroll.cmserver.cli.CmServerCommand [options]}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new CmServerCommand()).execute(args));
  }
}
