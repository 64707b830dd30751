package io.tokenroll.pkcs11;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A PKCS#11 URI (RFC 7512), parsed once into an immutable value. Path attributes select the token
 * ({@code token}, {@code serial}, {@code model}, {@code manufacturer}, {@code slot-id}, {@code slot-description})
 * and optionally an object ({@code id}, {@code object}, {@code type}); query attributes carry
 * {@code module-path} and {@code pin-source}. {@code module-path} is also accepted in the path, where some tools
 * put it. {@code pin-value} is refused: a PIN must never travel on a command line.
 */
public final class Pkcs11Uri {
  private static final Set<String> PATH_ATTRIBUTES = Set.of("token", "manufacturer", "serial", "model",
      "library-manufacturer", "library-description", "library-version", "slot-description", "slot-manufacturer",
      "slot-id", "id", "object", "type");
  private static final Set<String> QUERY_ATTRIBUTES = Set.of("pin-source", "module-name", "module-path");
  private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  private final Map<String, String> path;
  private final Map<String, String> query;

  private Pkcs11Uri(Map<String, String> path, Map<String, String> query) {
    this.path = Collections.unmodifiableMap(path);
    this.query = Collections.unmodifiableMap(query);
  }

  public static Pkcs11Uri parse(String text) {
    if (text == null || !text.regionMatches(true, 0, "pkcs11:", 0, 7)) {
      throw new IllegalArgumentException("not a PKCS#11 URI (must start with 'pkcs11:'): " + text);
    }
    String rest = text.substring(7);
    int q = rest.indexOf('?');
    String pathPart = q < 0 ? rest : rest.substring(0, q);
    String queryPart = q < 0 ? "" : rest.substring(q + 1);
    Map<String, String> path = new LinkedHashMap<>();
    Map<String, String> query = new LinkedHashMap<>();
    for (String attr : split(pathPart, ';')) {
      put(attr, path, query, false);
    }
    for (String attr : split(queryPart, '&')) {
      put(attr, path, query, true);
    }
    Pkcs11Uri uri = new Pkcs11Uri(path, query);
    if (uri.get("slot-id") != null) {
      uri.slotId(); // validates
    }
    if (uri.get("id") != null) {
      uri.id();
    }
    return uri;
  }

  /** A URI naming exactly this token, by label and serial. */
  public static Pkcs11Uri forToken(TokenInfo token) {
    Map<String, String> path = new LinkedHashMap<>();
    path.put("token", token.label());
    if (token.serial() != null && !token.serial().isBlank()) {
      path.put("serial", token.serial());
    }
    return new Pkcs11Uri(path, Map.of());
  }

  private static String[] split(String s, char sep) {
    return s.isEmpty() ? new String[0] : s.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
  }

  private static void put(String attr, Map<String, String> path, Map<String, String> query, boolean inQuery) {
    int eq = attr.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("PKCS#11 URI attribute without a value: '" + attr + "'");
    }
    String name = attr.substring(0, eq).toLowerCase(Locale.ROOT);
    if (!name.matches("[a-z0-9][a-z0-9-]*")) { // RFC 7512 names; found by fuzzing: a '?' in a name broke round trips
      throw new IllegalArgumentException("not a PKCS#11 URI attribute name: '" + name + "'");
    }
    // CKA_ID is binary: keep its bytes one char each; every other value is UTF-8 text
    String value = decode(attr.substring(eq + 1), name.equals("id"));
    if (name.equals("pin-value")) {
      throw new IllegalArgumentException(
          "pin-value is not accepted: give the PIN with pin-source=file:<path>, env:<VAR>, prompt or pinpad");
    }
    boolean known = PATH_ATTRIBUTES.contains(name) || QUERY_ATTRIBUTES.contains(name);
    if (!known && !name.startsWith("x-")) {
      throw new IllegalArgumentException("unknown PKCS#11 URI attribute '" + name + "'");
    }
    // a vendor attribute (x-…) stays in the part it was given in
    Map<String, String> target = QUERY_ATTRIBUTES.contains(name) || inQuery && !PATH_ATTRIBUTES.contains(name)
        ? query : path;
    if (!inQuery && QUERY_ATTRIBUTES.contains(name) && !name.equals("module-path")) {
      throw new IllegalArgumentException("'" + name + "' belongs in the query part of a PKCS#11 URI (after '?')");
    }
    if (target.put(name, value) != null) {
      throw new IllegalArgumentException("PKCS#11 URI attribute '" + name + "' given twice");
    }
  }

  private static String decode(String s, boolean binary) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated percent-encoding in PKCS#11 URI: '" + s + "'");
        }
        try {
          out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad percent-encoding in PKCS#11 URI: '" + s + "'");
        }
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(binary ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  /** Percent-encodes a value; ids are encoded byte by byte, other values keep RFC 7512's readable characters. */
  private static String encode(String s, boolean asBytes, boolean inQuery) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(asBytes ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain = !asBytes && (UNRESERVED.indexOf(c) >= 0 || ":[]@!$'()*+,".indexOf(c) >= 0
          || inQuery && "/?|".indexOf(c) >= 0);
      if (plain) {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  public String get(String attribute) {
    String v = path.get(attribute);
    return v != null ? v : query.get(attribute);
  }

  public String token() {
    return path.get("token");
  }

  public String serial() {
    return path.get("serial");
  }

  public String model() {
    return path.get("model");
  }

  public String manufacturer() {
    return path.get("manufacturer");
  }

  public String slotDescription() {
    return path.get("slot-description");
  }

  public Long slotId() {
    String s = path.get("slot-id");
    if (s == null) {
      return null;
    }
    try {
      return Long.parseUnsignedLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("slot-id must be a decimal number, got '" + s + "'");
    }
  }

  /** CKA_ID; in a URI its bytes are percent-encoded. */
  public KeyId id() {
    String s = path.get("id");
    return s == null ? null : KeyId.of(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  public String object() {
    return path.get("object");
  }

  public String type() {
    return path.get("type");
  }

  public String modulePath() {
    String v = query.get("module-path");
    return v != null ? v : path.get("module-path");
  }

  public String pinSource() {
    return query.get("pin-source");
  }

  /** True when every token-selecting attribute this URI carries matches the token. */
  public boolean matches(TokenInfo token) {
    return eq(token(), token.label()) && eq(serial(), token.serial()) && eq(model(), token.model())
        && eq(manufacturer(), token.manufacturer()) && eq(slotDescription(), token.slotDescription())
        && (slotId() == null || slotId() == token.slotId());
  }

  /** True when the URI names a token at all (an empty URI selects "the only token"). */
  public boolean selectsToken() {
    return token() != null || serial() != null || model() != null || manufacturer() != null
        || slotDescription() != null || slotId() != null;
  }

  private static boolean eq(String wanted, String actual) {
    return wanted == null || wanted.equals(actual == null ? null : actual.trim());
  }

  public Pkcs11Uri withPathAttribute(String name, String value) {
    Map<String, String> p = new LinkedHashMap<>(path);
    p.put(name, value);
    return new Pkcs11Uri(p, query);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("pkcs11:");
    String sep = "";
    for (Map.Entry<String, String> e : path.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=').append(encode(e.getValue(), e.getKey().equals("id"), false));
      sep = ";";
    }
    sep = "?";
    for (Map.Entry<String, String> e : query.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=').append(encode(e.getValue(), false, true));
      sep = "&";
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pkcs11Uri u && path.equals(u.path) && query.equals(u.query);
  }

  @Override
  public int hashCode() {
    return path.hashCode() * 31 + query.hashCode();
  }
}
