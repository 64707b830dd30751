package io.tokenroll.pkcs11.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Per-token-family behaviours read from {@code quirks.conf}: data, not {@code if}s on product names.
 */
public record Quirks(String name, boolean keyImport, boolean parallelObjectWrites, boolean readOnly,
                     boolean soLoginForKeyGeneration, boolean fixedKeyIds, boolean uniqueIssuerSerial,
                     int keyGenerationsPerInitialization, boolean localAttributeReliable,
                     boolean keyUsageRestrictable, boolean exportableKeys) {

  public static final Quirks DEFAULT = new Quirks("default", true, true, false, false, false, false, 0, true, true,
      true);

  private static final List<Block> BLOCKS = load();

  /** These quirks on a token found write-protected at run time. */
  public Quirks asReadOnly() {
    return new Quirks(name, false, parallelObjectWrites, true, soLoginForKeyGeneration, fixedKeyIds,
        uniqueIssuerSerial, keyGenerationsPerInitialization, localAttributeReliable, keyUsageRestrictable,
        exportableKeys);
  }

  /** The quirks of the first block whose patterns all match. */
  public static Quirks forToken(String library, String manufacturer, String model, String label) {
    Map<String, String> facts = Map.of("library", nz(library), "manufacturer", nz(manufacturer),
        "model", nz(model), "label", nz(label));
    for (Block b : BLOCKS) {
      if (b.matches(facts)) {
        return b.quirks;
      }
    }
    return DEFAULT;
  }

  private static String nz(String s) {
    return s == null ? "" : s.trim();
  }

  private record Block(Map<String, Pattern> patterns, Quirks quirks) {
    boolean matches(Map<String, String> facts) {
      return patterns.entrySet().stream()
          .allMatch(e -> e.getValue().matcher(facts.getOrDefault(e.getKey(), "")).matches());
    }
  }

  private static List<Block> load() {
    try (InputStream in = Quirks.class.getResourceAsStream("quirks.conf")) {
      if (in == null) {
        throw new IllegalStateException("quirks.conf missing from the class path");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Block> parse(List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    String name = null;
    Map<String, String> values = new LinkedHashMap<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("quirk ")) {
        if (name != null) {
          blocks.add(block(name, values));
        }
        name = line.substring(6).trim();
        values = new LinkedHashMap<>();
        continue;
      }
      int eq = line.indexOf('=');
      if (name == null || eq < 0) {
        throw new IllegalStateException("quirks.conf: cannot read line '" + raw + "'");
      }
      values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
    }
    if (name != null) {
      blocks.add(block(name, values));
    }
    return blocks;
  }

  private static Block block(String name, Map<String, String> v) {
    Map<String, Pattern> patterns = new LinkedHashMap<>();
    v.forEach((k, value) -> {
      if (k.startsWith("match.")) {
        patterns.put(k.substring(6), Pattern.compile(value));
      }
    });
    Quirks d = DEFAULT;
    Quirks q = new Quirks(name,
        bool(v, "key-import", d.keyImport),
        bool(v, "parallel-object-writes", d.parallelObjectWrites),
        bool(v, "read-only", d.readOnly),
        bool(v, "so-login-for-keygen", d.soLoginForKeyGeneration),
        bool(v, "fixed-key-ids", d.fixedKeyIds),
        bool(v, "unique-issuer-serial", d.uniqueIssuerSerial),
        Integer.parseInt(v.getOrDefault("keygens-per-initialize", String.valueOf(d.keyGenerationsPerInitialization))),
        bool(v, "local-attribute-reliable", d.localAttributeReliable),
        bool(v, "key-usage-restrictable", d.keyUsageRestrictable),
        bool(v, "exportable-keys", d.exportableKeys));
    return new Block(patterns, q);
  }

  private static boolean bool(Map<String, String> v, String key, boolean dflt) {
    String s = v.get(key);
    if (s == null) {
      return dflt;
    }
    if (!s.equals("true") && !s.equals("false")) {
      throw new IllegalStateException("quirks.conf: " + key + " must be true or false, got '" + s + "'");
    }
    return Boolean.parseBoolean(s);
  }
}
