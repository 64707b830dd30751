package io.tokenroll.cmserver;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.tokenroll.cmserver.admin.AdminApi;
import io.tokenroll.cmserver.admin.CmAdmin;
import io.tokenroll.cmserver.ca.CaHierarchy;
import io.tokenroll.cmserver.ca.CertificateAuthority;
import io.tokenroll.cmserver.certsrv.CertSrvApp;
import io.tokenroll.cmserver.faults.CmFaults;
import io.tokenroll.cmserver.http.Authenticator;
import io.tokenroll.cmserver.http.ClientLimiter;
import io.tokenroll.cmserver.http.Front;
import io.tokenroll.cmserver.http.Tls;
import io.tokenroll.cmserver.mimcm.CmApi;
import io.tokenroll.cmserver.mimcm.CmStore;
import io.tokenroll.cmserver.store.CaDatabase;
import io.tokenroll.cmserver.store.Database;
import io.tokenroll.protocol.certsrv.Encodings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A running cmserver: the MIM CM REST API under {@code CertificateManagement/api/v1.0/}, AD CS web enrollment
 * under {@code certsrv/} and the admin path under {@code cmserver-admin/}, over one CA and one database. Start it
 * with {@link #start(CmServerConfig)}; close it to stop.
 */
public final class CmServer implements AutoCloseable {
  /** How long a client has to send a whole request (handshake, headers, body). */
  public static final int REQUEST_SECONDS = 10;
  /** How long the server waits for a client to take an answer (from the whole request to the last byte sent). */
  public static final int RESPONSE_SECONDS = 60;
  /** Connections open at once, all clients together; more are closed as they are accepted. */
  public static final int MAX_CONNECTIONS = 1024;

  static {
    // Without TCP_NODELAY the JDK server's small writes meet the client's delayed ACK: ~40 ms per keep-alive
    // request. Read once, when the JDK's HTTP server classes load, so it is set before any server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    // Deadlines against connections that send (or read) a byte at a time: a request — TLS handshake, headers and
    // body — must arrive within REQUEST_SECONDS of its first byte (a connection that sends nothing is closed as
    // well), and an answer must be taken within RESPONSE_SECONDS. Without them a worker waits forever.
    System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime",
        String.valueOf(REQUEST_SECONDS)));
    System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime",
        String.valueOf(RESPONSE_SECONDS)));
    System.setProperty("jdk.httpserver.maxConnections", System.getProperty("jdk.httpserver.maxConnections",
        String.valueOf(MAX_CONNECTIONS)));
  }


  private final Database db;
  private final CertificateAuthority ca;
  private final HttpServer http;
  private final ExecutorService executor;
  private final StateFiles state;
  private final URI baseUri;
  private final CmAdmin admin;
  private final CmFaults faults;
  private final List<UserAccount> users;

  private CmServer(Database db, CertificateAuthority ca, HttpServer http, ExecutorService executor, StateFiles state,
      URI baseUri, CmAdmin admin, CmFaults faults, List<UserAccount> users) {
    this.db = db;
    this.ca = ca;
    this.http = http;
    this.executor = executor;
    this.state = state;
    this.baseUri = baseUri;
    this.admin = admin;
    this.faults = faults;
    this.users = users;
  }

  private static io.tokenroll.cmserver.http.BearerValidator bearerValidator(CmServerConfig.Bearer bearer)
      throws IOException {
    if (bearer == null) {
      return null;
    }
    try (var in = java.nio.file.Files.newInputStream(bearer.issuerCertificate())) {
      var cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
      return new io.tokenroll.cmserver.http.BearerValidator(cert.getPublicKey(), bearer.audience(),
          java.time.Clock.systemUTC());
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalArgumentException("the bearer token issuer " + bearer.issuerCertificate()
          + " is not a certificate: " + e.getMessage());
    }
  }

  /** Opens (or creates) the state, the CA and the database, and starts listening. */
  public static CmServer start(CmServerConfig cfg) throws IOException {
    InetAddress bind = InetAddress.getByName(cfg.bindAddress());
    if (cfg.plainHttp() && !bind.isLoopbackAddress()) {
      throw new IllegalArgumentException("plain HTTP is only allowed on a loopback address, not " + bind);
    }
    StateFiles state = StateFiles.open(cfg.stateDirectory());
    Database db = null;
    try {
      db = Database.open(cfg.stateDirectory());
      if (cfg.stateDirectory() != null) {
        StateFiles.ownerOnlyFiles(cfg.stateDirectory()); // the database holds the CA keys in PKCS#8
      }
      CaHierarchy keys = CaHierarchy.loadOrCreate(new CaDatabase(db), cfg.ca());
      CertificateAuthority ca = new CertificateAuthority(keys, new CaDatabase(db), cfg.certificateTemplates());
      List<UserAccount> users = new ArrayList<>();
      for (UserAccount u : cfg.users()) {
        users.add(u.password() != null ? u : u.withPassword(state.password("user." + u.name()
            .toLowerCase(Locale.ROOT))));
      }
      UserAccount adminAccount = new UserAccount(StateFiles.ADMIN_USER, state.password(StateFiles.ADMIN_USER), null);
      CmStore store = new CmStore(db, cfg.profileTemplates());
      CmAdmin admin = new CmAdmin(store, ca);
      CmFaults faults = new CmFaults();
      long requestMillis = Long.getLong("sun.net.httpserver.maxReqTime", REQUEST_SECONDS) * 1000;
      ClientLimiter limiter = new ClientLimiter(Math.max(2, cfg.threads() / 2), requestMillis + 1000);
      Front front = new Front(List.of(new CmApi(cfg.apiEnabled(), store, ca), new CertSrvApp(ca),
          new AdminApi(admin)), new Authenticator(users, cfg.kerberos() == null ? null
          : new io.tokenroll.cmserver.http.NegotiateAcceptor(cfg.kerberos().keytab(), cfg.kerberos().realm()),
          bearerValidator(cfg.bearer())),
          Map.of(StateFiles.ADMIN_USER, adminAccount), faults,
          cfg.maxBodyBytes(), limiter);

      InetSocketAddress address = new InetSocketAddress(bind, cfg.port());
      HttpServer http;
      if (cfg.plainHttp()) {
        http = HttpServer.create(address, 256);
      } else {
        HttpsServer https = HttpsServer.create(address, 256);
        SSLContext tls = Tls.serverContext(ca, cfg.hostName(), cfg.bindAddress());
        https.setHttpsConfigurator(new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            limiter.opened(params.getClientAddress()); // before the handshake; over the limit it is closed
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setWantClientAuth(true);
            params.setSSLParameters(p);
          }
        });
        http = https;
      }
      AtomicInteger n = new AtomicInteger();
      ExecutorService executor = Executors.newFixedThreadPool(cfg.threads(), r -> {
        Thread t = new Thread(r, "cmserver-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      http.createContext("/", front);
      http.setExecutor(executor);
      http.start();
      String host = bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
      if (host.contains(":")) {
        host = "[" + host + "]";
      }
      URI base = URI.create((cfg.plainHttp() ? "http" : "https") + "://" + host + ":" + http.getAddress().getPort()
          + "/");
      state.writeEndpoint(base.toString(), pem(keys.root()));
      return new CmServer(db, ca, http, executor, state, base, admin, faults, List.copyOf(users));
    } catch (SQLException | GeneralSecurityException e) {
      closeQuietly(db);
      throw new IOException("cmserver cannot start: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(db);
      throw e;
    }
  }

  private static void closeQuietly(Database db) {
    if (db != null) {
      db.close();
    }
  }

  private static String pem(X509Certificate cert) {
    try {
      return Encodings.encode(cert.getEncoded(), 0).replace("\r\n", "\n");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code https://127.0.0.1:<port>/}: the CM API is under {@code CertificateManagement/api/v1.0/}. */
  public URI baseUri() {
    return baseUri;
  }

  /** The root and issuing CA certificates: what a client trusts for TLS and for issued chains. */
  public List<X509Certificate> trustAnchors() {
    return List.of(ca.keys().root(), ca.keys().issuing());
  }

  /** The {@code host\CA name} config string of the CA (ICertRequest's strConfig). */
  public String caConfig() {
    return ca.config();
  }

  public CmAdmin admin() {
    return admin;
  }

  /** Fault injection; nothing is armed until a test arms it. */
  public CmFaults faults() {
    return faults;
  }

  /** The password the server generated for a user configured without one (the default users alice and bob). */
  public Optional<String> generatedPassword(String user) {
    return users.stream().filter(u -> u.name().equalsIgnoreCase(user)).findFirst().map(UserAccount::password);
  }

  /** Where the admin and generated user passwords are kept (mode 0600), or empty in memory mode. */
  public Optional<Path> credentialsFile() {
    return Optional.ofNullable(state.credentialsFile());
  }

  /** The admin path's credential (user {@code cmserver-admin}); never logged or printed by cmserver. */
  public String adminPassword() {
    try {
      return state.password(StateFiles.ADMIN_USER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The certificate authority itself, for in-process ICertRequest2 use. */
  public CertificateAuthority certificateAuthority() {
    return ca;
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
    state.clearEndpoint();
    db.close();
  }
}
