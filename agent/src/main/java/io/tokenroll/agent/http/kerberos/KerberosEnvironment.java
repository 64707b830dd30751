package io.tokenroll.agent.http.kerberos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where Kerberos configuration and tickets are, read the way MIT tools read them. The JDK differs in two ways that
 * matter: it ignores {@code KRB5_CONFIG} (it reads {@code /etc/krb5.conf} unless the {@code java.security.krb5.conf}
 * property says otherwise), and it reads only {@code FILE:} caches, while SSSD desktops keep tickets in {@code KCM:}
 * or {@code DIR:}. So the configuration file is chosen here and handed to the JDK, and a cache the JDK cannot read
 * is named in an error instead of ending as a bare 401.
 */
public final class KerberosEnvironment {
  private static final String JDK_CONFIG_PROPERTY = "java.security.krb5.conf";
  private static final Object CONFIG_LOCK = new Object();

  private final Map<String, String> env;

  public KerberosEnvironment(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static KerberosEnvironment system() {
    return new KerberosEnvironment(System.getenv());
  }

  /**
   * The configuration file: the first existing entry of {@code KRB5_CONFIG} (a colon-separated list, as MIT reads
   * it), else {@code /etc/krb5.conf}. An explicit {@code -Djava.security.krb5.conf} wins over both.
   */
  public Path configFile() {
    String property = System.getProperty(JDK_CONFIG_PROPERTY);
    if (property != null) {
      return Path.of(property);
    }
    String list = env.get("KRB5_CONFIG");
    if (list != null && !list.isBlank()) {
      for (String entry : list.split(":")) {
        if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
          return Path.of(entry);
        }
      }
      throw new KerberosException("KRB5_CONFIG names no readable file (" + list + ")");
    }
    return Path.of("/etc/krb5.conf");
  }

  /**
   * Hands the configuration file to the JDK before its Kerberos code first reads it (it reads it once per
   * process). A process that already runs Kerberos with another file keeps that one and says so.
   */
  public Path applyConfig() {
    Path file = configFile();
    if (!Files.isRegularFile(file)) {
      throw new KerberosException("no Kerberos configuration: " + file + " does not exist (give the realm and its "
          + "KDC in /etc/krb5.conf, or point KRB5_CONFIG at such a file)");
    }
    synchronized (CONFIG_LOCK) {
      String current = System.getProperty(JDK_CONFIG_PROPERTY);
      if (current == null) {
        System.setProperty(JDK_CONFIG_PROPERTY, file.toString());
      }
    }
    return file;
  }

  /**
   * The file cache named by {@code KRB5CCNAME} ({@code FILE:path} or a bare path), else MIT's default
   * {@code /tmp/krb5cc_<uid>}. A cache type the JDK cannot read is refused with what to do instead.
   */
  public Path ticketCache() {
    String name = env.get("KRB5CCNAME");
    String from = "KRB5CCNAME";
    if (name == null || name.isBlank()) {
      name = defaultCacheName(); // what krb5.conf says, as MIT reads it (SSSD sets KCM: there)
      from = "krb5.conf's default_ccache_name";
      if (name == null) {
        return Path.of("/tmp/krb5cc_" + uid());
      }
    }
    int colon = name.indexOf(':');
    String type = colon > 0 ? name.substring(0, colon) : "";
    if (type.isEmpty() || type.equalsIgnoreCase("FILE")) {
      return Path.of(colon > 0 ? name.substring(colon + 1) : name);
    }
    throw new KerberosException(from + " is " + type + ":…, a ticket cache Java cannot read (it reads only FILE: "
        + "caches; SSSD desktops default to KCM:). Get a file cache with: export KRB5CCNAME=FILE:/tmp/krb5cc_"
        + uid() + "; kinit — or use --keytab and --principal");
  }

  private static final int MAX_CONFIG_BYTES = 256 * 1024;
  private static final int MAX_CONFIG_FILES = 32;

  /**
   * {@code default_ccache_name} from the {@code [libdefaults]} of the configuration and the files it includes
   * ({@code include}, {@code includedir}, as MIT reads them), with {@code %{uid}} and {@code %{TEMP}} expanded; null
   * when none is set or the configuration cannot be read. Read here because the JDK ignores it.
   */
  String defaultCacheName() {
    java.util.ArrayDeque<Path> files = new java.util.ArrayDeque<>(List.of(configFile()));
    int read = 0;
    while (!files.isEmpty() && read++ < MAX_CONFIG_FILES) {
      String text;
      try (var in = Files.newInputStream(files.pop())) {
        text = new String(in.readNBytes(MAX_CONFIG_BYTES), java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        continue;
      }
      boolean libdefaults = false;
      for (String raw : text.split("\\R")) {
        String line = raw.strip();
        if (line.startsWith("include ")) {
          files.add(Path.of(line.substring(8).strip()));
        } else if (line.startsWith("includedir ")) {
          files.addAll(includedFiles(Path.of(line.substring(11).strip())));
        } else if (line.startsWith("[")) {
          libdefaults = line.equals("[libdefaults]");
        } else if (libdefaults && line.startsWith("default_ccache_name")) {
          int eq = line.indexOf('=');
          if (eq > 0 && line.substring(0, eq).strip().equals("default_ccache_name")) {
            return line.substring(eq + 1).strip().replace("%{uid}", uid()).replace("%{USERID}", uid())
                .replace("%{TEMP}", "/tmp");
          }
        }
      }
    }
    return null;
  }

  /** The files of an includedir that MIT reads: names of letters, digits, dashes and underscores, or *.conf. */
  private static List<Path> includedFiles(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.filter(f -> {
        String n = f.getFileName().toString();
        return n.matches("[A-Za-z0-9_-]+") || n.endsWith(".conf");
      }).sorted().limit(MAX_CONFIG_FILES).toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  /** The user id, from /proc (the same number MIT uses in the default cache name). */
  static String uid() {
    try {
      return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return System.getProperty("user.name");
    }
  }
}
