package io.tokenroll.cmserver;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tokenroll.cmserver.ca.CaSettings;
import io.tokenroll.cmserver.ca.CertTemplate;
import io.tokenroll.cmserver.mimcm.ProfileTemplate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * cmserver's configuration: where it listens, where it keeps state, the CA, the users and the templates. Immutable;
 * {@code with…} methods return changed copies. {@link #defaults()} runs with no file; {@link #load(Path)} reads one
 * JSON file whose sections replace the defaults' (docs/cmserver.md shows the format).
 */
public final class CmServerConfig {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** The configuration file's shape: every field optional, an absent one keeps the default. */
  private record FileFormat(Boolean apiEnabled, String bind, Integer port, String hostName, Boolean plainHttp,
      String stateDirectory, Integer threads, Integer maxBodyBytes, CaSettings ca, List<UserAccount> users,
      List<CertTemplate> certificateTemplates, List<ProfileTemplate> profileTemplates, Kerberos kerberos,
      Bearer bearer) {
  }

  /**
   * Bearer tokens as ADFS issues them for the Modern App: the token-signing certificate (PEM) and the audience,
   * by default {@code https://<hostName>/certificatemanagement}.
   */
  public record Bearer(Path issuerCertificate, String audience) {
    public Bearer {
      if (issuerCertificate == null) {
        throw new IllegalArgumentException("bearer needs the issuer's token-signing certificate");
      }
    }
  }

  /**
   * Negotiate (Kerberos) for users, beside Basic and client certificates: the service keytab, and the realm whose
   * principals map to users by name. A relative keytab path is relative to the configuration file.
   */
  public record Kerberos(Path keytab, String realm) {
    public Kerberos {
      if (keytab == null || realm == null || realm.isBlank()) {
        throw new IllegalArgumentException("kerberos needs both keytab and realm");
      }
    }
  }

  private final boolean apiEnabled;
  private final String bindAddress;
  private final int port;
  private final String hostName;
  private final boolean plainHttp;
  private final Path stateDirectory;
  private final int threads;
  private final int maxBodyBytes;
  private final CaSettings ca;
  private final List<UserAccount> users;
  private final List<CertTemplate> certificateTemplates;
  private final List<ProfileTemplate> profileTemplates;
  private final Kerberos kerberos;
  private final Bearer bearer;

  private CmServerConfig(boolean apiEnabled, String bindAddress, int port, String hostName, boolean plainHttp,
      Path stateDirectory, int threads, int maxBodyBytes, CaSettings ca, List<UserAccount> users,
      List<CertTemplate> certificateTemplates, List<ProfileTemplate> profileTemplates, Kerberos kerberos,
      Bearer bearer) {
    if (port < 0 || port > 65535 || threads < 1 || maxBodyBytes < 1024) {
      throw new IllegalArgumentException("port must be 0..65535, threads ≥ 1 and maxBodyBytes ≥ 1024");
    }
    this.apiEnabled = apiEnabled;
    this.bindAddress = bindAddress;
    this.port = port;
    this.hostName = hostName;
    this.plainHttp = plainHttp;
    this.stateDirectory = stateDirectory;
    this.threads = threads;
    this.maxBodyBytes = maxBodyBytes;
    this.ca = ca.withHostName(hostName);
    this.users = List.copyOf(users);
    this.certificateTemplates = List.copyOf(certificateTemplates);
    this.profileTemplates = List.copyOf(profileTemplates);
    this.kerberos = kerberos;
    this.bearer = bearer == null || bearer.audience() != null ? bearer
        : new Bearer(bearer.issuerCertificate(), "https://" + hostName + "/certificatemanagement");
  }

  /**
   * Loopback port 8443, in-memory state, the built-in templates, and the users alice and bob (passwords generated
   * at start, see {@link CmServer#generatedPassword(String)}).
   */
  public static CmServerConfig defaults() {
    return new CmServerConfig(true, "127.0.0.1", 8443, "localhost", false, null,
        Math.max(16, 8 * Runtime.getRuntime().availableProcessors()), 1 << 20, CaSettings.defaults(),
        List.of(new UserAccount("alice", null, "alice@example.test"), new UserAccount("bob", null, "bob@example.test")),
        BuiltInTemplates.certificateTemplates(), BuiltInTemplates.profileTemplates(), null, null);
  }

  /** The defaults with the sections of a JSON configuration file laid over them. */
  public static CmServerConfig load(Path file) throws IOException {
    FileFormat f = JSON.readValue(file.toFile(), FileFormat.class);
    CmServerConfig d = defaults();
    return new CmServerConfig(or(f.apiEnabled, d.apiEnabled), or(f.bind, d.bindAddress), or(f.port, d.port),
        or(f.hostName, d.hostName), or(f.plainHttp, d.plainHttp),
        f.stateDirectory == null ? d.stateDirectory : file.toAbsolutePath().getParent().resolve(f.stateDirectory),
        or(f.threads, d.threads), or(f.maxBodyBytes, d.maxBodyBytes), or(f.ca, d.ca), or(f.users, d.users),
        or(f.certificateTemplates, d.certificateTemplates), or(f.profileTemplates, d.profileTemplates),
        f.kerberos == null ? null
            : new Kerberos(file.toAbsolutePath().getParent().resolve(f.kerberos.keytab()), f.kerberos.realm()),
        f.bearer == null ? null : new Bearer(file.toAbsolutePath().getParent()
            .resolve(f.bearer.issuerCertificate()), f.bearer.audience()));
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }

  /** A mutable copy of every field, so each {@code with…} changes one and builds a new configuration. */
  private static final class Edit {
    boolean apiEnabled;
    String bindAddress;
    int port;
    String hostName;
    boolean plainHttp;
    Path stateDirectory;
    int threads;
    int maxBodyBytes;
    CaSettings ca;
    List<UserAccount> users;
    List<CertTemplate> certificateTemplates;
    List<ProfileTemplate> profileTemplates;
    Kerberos kerberos;
    Bearer bearer;

    Edit(CmServerConfig c) {
      apiEnabled = c.apiEnabled;
      bindAddress = c.bindAddress;
      port = c.port;
      hostName = c.hostName;
      plainHttp = c.plainHttp;
      stateDirectory = c.stateDirectory;
      threads = c.threads;
      maxBodyBytes = c.maxBodyBytes;
      ca = c.ca;
      users = new ArrayList<>(c.users);
      certificateTemplates = new ArrayList<>(c.certificateTemplates);
      profileTemplates = new ArrayList<>(c.profileTemplates);
      kerberos = c.kerberos;
      bearer = c.bearer;
    }
  }

  private CmServerConfig edit(java.util.function.Consumer<Edit> change) {
    Edit e = new Edit(this);
    change.accept(e);
    return new CmServerConfig(e.apiEnabled, e.bindAddress, e.port, e.hostName, e.plainHttp, e.stateDirectory,
        e.threads, e.maxBodyBytes, e.ca, e.users, e.certificateTemplates, e.profileTemplates, e.kerberos,
        e.bearer);
  }

  /** 0 picks a free port. */
  public CmServerConfig withPort(int newPort) {
    return edit(e -> e.port = newPort);
  }

  /** null keeps everything in memory; a directory keeps the databases, CA keys and credentials across restarts. */
  public CmServerConfig withStateDirectory(Path directory) {
    return edit(e -> e.stateDirectory = directory);
  }

  /** Adds a user, or replaces the one with the same name (case-insensitive). */
  public CmServerConfig withUser(String name, String password, String upn) {
    return edit(e -> {
      e.users.removeIf(u -> u.name().equalsIgnoreCase(name));
      e.users.add(new UserAccount(name, password, upn));
    });
  }

  public CmServerConfig withBindAddress(String address) {
    return edit(e -> e.bindAddress = address);
  }

  /** The DNS name in the CA config string and in the TLS certificate's SANs (besides 127.0.0.1 and localhost). */
  public CmServerConfig withHostName(String name) {
    return edit(e -> e.hostName = name);
  }

  /** MIM's {@code Clm.WebApi.Enabled}: when false every CM API route answers 404. */
  public CmServerConfig withApiEnabled(boolean enabled) {
    return edit(e -> e.apiEnabled = enabled);
  }

  /** Plain HTTP instead of HTTPS; refused at start unless the bind address is a loopback address. */
  public CmServerConfig withPlainHttp(boolean plain) {
    return edit(e -> e.plainHttp = plain);
  }

  public CmServerConfig withCa(CaSettings settings) {
    return edit(e -> e.ca = settings);
  }

  /** Adds a profile template, or replaces the one with the same UUID. */
  public CmServerConfig withProfileTemplate(ProfileTemplate template) {
    return edit(e -> {
      e.profileTemplates.removeIf(t -> t.uuid().equals(template.uuid()));
      e.profileTemplates.add(template);
    });
  }

  /** Adds a CA certificate template, or replaces the one with the same common name. */
  public CmServerConfig withCertificateTemplate(CertTemplate template) {
    return edit(e -> {
      e.certificateTemplates.removeIf(t -> t.commonName().equalsIgnoreCase(template.commonName()));
      e.certificateTemplates.add(template);
    });
  }

  public CmServerConfig withMaxBodyBytes(int bytes) {
    return edit(e -> e.maxBodyBytes = bytes);
  }

  public CmServerConfig withThreads(int count) {
    return edit(e -> e.threads = count);
  }

  /** Offers Negotiate with this keytab and realm (null: Basic and client certificates only). */
  public CmServerConfig withKerberos(Kerberos settings) {
    return edit(e -> e.kerberos = settings);
  }

  /** Accepts bearer tokens signed by this issuer (null: not offered). */
  public CmServerConfig withBearer(Bearer settings) {
    return edit(e -> e.bearer = settings);
  }

  /** The bearer token issuer and audience, or null when bearer tokens are not offered. */
  public Bearer bearer() {
    return bearer;
  }

  /** Negotiate's keytab and realm, or null when it is not offered. */
  public Kerberos kerberos() {
    return kerberos;
  }

  public boolean apiEnabled() {
    return apiEnabled;
  }

  public String bindAddress() {
    return bindAddress;
  }

  public int port() {
    return port;
  }

  public String hostName() {
    return hostName.toLowerCase(Locale.ROOT);
  }

  public boolean plainHttp() {
    return plainHttp;
  }

  public Path stateDirectory() {
    return stateDirectory;
  }

  public int threads() {
    return threads;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  public CaSettings ca() {
    return ca;
  }

  public List<UserAccount> users() {
    return users;
  }

  public List<CertTemplate> certificateTemplates() {
    return certificateTemplates;
  }

  public List<ProfileTemplate> profileTemplates() {
    return profileTemplates;
  }
}
