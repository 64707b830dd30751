package io.tokenroll.agent.cli;

import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.MechanismSupport;
import io.tokenroll.pkcs11.TokenCapabilities;
import io.tokenroll.pkcs11.TokenInfo;
import io.tokenroll.pkcs11.TokenObject;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the CLI shows of tokens, objects and keys; the same records feed tables and JSON. */
final class Views {
  private Views() {
  }

  record Mechanism(String name, long minKeySize, long maxKeySize) {
  }

  record Token(long slotId, String label, String serial, String manufacturer, String model, List<String> flags,
               String userPin, List<Mechanism> mechanisms) {
  }

  record Capabilities(List<String> keySpecs, List<String> signatureAlgorithms, boolean keyImport,
                      boolean parallelObjectWrites, boolean readOnly, boolean keyUsageRestrictable) {
  }

  record ObjectView(String objectClass, String id, String label, String key, List<String> flags, String category,
                    String subject, String issuer, String serial, String notAfter) {
  }

  record Key(String id, String label, String spec, String publicKeyPem) {
  }

  static Token token(TokenInfo t, boolean withMechanisms) {
    List<Mechanism> mechanisms = withMechanisms
        ? t.mechanisms().stream().map(Views::mechanism).toList() : null;
    return new Token(t.slotId(), t.label(), t.serial(), t.manufacturer(), t.model(),
        t.flags().stream().map(Views::lower).toList(), t.userPin().describe(), mechanisms);
  }

  private static Mechanism mechanism(MechanismSupport m) {
    return new Mechanism(m.name(), m.minKeySize(), m.maxKeySize());
  }

  static Capabilities capabilities(TokenCapabilities c) {
    return new Capabilities(c.keySpecs().stream().map(Object::toString).toList(),
        c.signatureAlgorithms().stream().map(a -> a.jcaName()).toList(), c.keyImport(), c.parallelObjectWrites(),
        c.readOnly(), c.keyUsageRestrictable());
  }

  static ObjectView object(TokenObject o) {
    X509Certificate c = o.certificate();
    return new ObjectView(lower(o.objectClass()), o.id() == null ? null : o.id().hex(), o.label(),
        o.keySpec() == null ? null : o.keySpec().toString(),
        o.flags().stream().map(Views::lower).toList(),
        o.category() == null ? null : lower(o.category()),
        c == null ? null : c.getSubjectX500Principal().getName(),
        c == null ? null : c.getIssuerX500Principal().getName(),
        c == null ? null : c.getSerialNumber().toString(16),
        c == null ? null : DateTimeFormatter.ISO_INSTANT.format(c.getNotAfter().toInstant().atOffset(ZoneOffset.UTC)));
  }

  static Key key(GeneratedKey k, String pem) {
    return new Key(k.ref().id().hex(), k.ref().label(), k.spec().toString(), pem);
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String join(List<String> items) {
    return items.isEmpty() ? "-" : items.stream().collect(Collectors.joining(","));
  }
}
