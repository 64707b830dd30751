package io.tokenroll.agent.response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.agent.encoding.SignatureCheck;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Decodes what a CM server or CA sends or receives — a certificatedata answer or request (JSON), a CMC response or
 * PKCS#7, a PFX, a CSR, a certificate — into a plain description (nested maps, printable as JSON or text).
 */
public final class Inspector {
  /** More items or PEM blocks than any answer or bundle holds. */
  static final int MAX_ITEMS = 256;
  /** The key under which a description lists what makes the input unusable (absent when nothing does). */
  public static final String PROBLEMS = "problems";
  private static final ObjectMapper JSON = io.tokenroll.agent.encoding.BoundedJson.builder().build();

  private Inspector() {
  }

  public static Map<String, Object> inspect(byte[] bytes, char[] pfxPassword) throws InvalidResponseException {
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (text.startsWith("[") || text.startsWith("{")) {
      return json(text, pfxPassword);
    }
    if (Pem.looksLikePem(bytes)) {
      List<Pem.Block> blocks;
      try {
        blocks = Pem.decode(text);
      } catch (IllegalArgumentException e) { // found by fuzzing: broken base64 in a block
        throw new InvalidResponseException(e.getMessage());
      }
      if (blocks.isEmpty()) {
        throw new InvalidResponseException("PEM without a readable block");
      }
      if (blocks.size() == 1) {
        return binary(blocks.get(0).der(), blocks.get(0).type(), pfxPassword);
      }
      if (blocks.size() > MAX_ITEMS) {
        throw new InvalidResponseException(blocks.size() + " PEM blocks; more than " + MAX_ITEMS + " is refused");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("kind", "PEM (" + blocks.size() + " blocks)");
      List<Object> each = new ArrayList<>();
      for (Pem.Block b : blocks) { // every block: a bundle shown as its first certificate would hide the rest
        try {
          each.add(binary(b.der(), b.type(), pfxPassword));
        } catch (InvalidResponseException e) { // a key or a CRL beside the certificates: say so, show the rest
          each.add(Map.of("kind", "PEM " + b.type() + " block", "problem", e.getMessage()));
        }
      }
      out.put("blocks", each);
      return out;
    }
    if (text.matches("(?s)[A-Za-z0-9+/=\\s]+") && !text.isEmpty()) {
      try {
        return binary(Base64.getMimeDecoder().decode(text), null, pfxPassword);
      } catch (IllegalArgumentException e) {
        // not base64 after all: treat as binary
      }
    }
    return binary(bytes, null, pfxPassword);
  }

  private static Map<String, Object> json(String text, char[] pfxPassword) throws InvalidResponseException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new InvalidResponseException("malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (root.isArray()) {
      if (root.size() > MAX_ITEMS) {
        throw new InvalidResponseException("a certificatedata answer of " + root.size() + " items; more than "
            + MAX_ITEMS + " is refused");
      }
      out.put("kind", "certificatedata answer (" + root.size() + " item(s))");
      List<Object> items = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < root.size(); i++) {
        JsonNode item = root.get(i);
        if (!item.isObject()) {
          throw new InvalidResponseException("item " + (i + 1) + " of the certificatedata answer is not an object "
              + "but a JSON " + item.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        Map<String, Object> described = item(item, pfxPassword);
        if (described.get("problem") != null) {
          problems.add("item " + (i + 1) + ": " + described.get("problem"));
        }
        items.add(described);
      }
      out.put("items", items);
      if (root.isEmpty()) {
        problems.add("the answer has no items");
      }
      if (!problems.isEmpty()) {
        out.put(PROBLEMS, problems);
      }
      return out;
    }
    JsonNode csrs = field(root, "certificaterequests");
    if (csrs != null) {
      out.put("kind", "certificatedata request");
      List<Object> list = new ArrayList<>();
      if (!csrs.isArray() || csrs.size() > MAX_ITEMS) {
        throw new InvalidResponseException("certificaterequests is not an array of at most " + MAX_ITEMS + " items");
      }
      for (JsonNode c : csrs) {
        try {
          list.add(csr(Base64.getMimeDecoder().decode(c.asText())));
        } catch (IllegalArgumentException e) {
          throw new InvalidResponseException("a certificate request is not valid base64");
        }
      }
      out.put("certificaterequests", list);
      out.put("pfxpassword", field(root, "pfxpassword") == null ? null : "(present, not shown)");
      return out;
    }
    throw new InvalidResponseException("JSON that is neither a certificatedata answer nor request");
  }

  private static Map<String, Object> item(JsonNode item, char[] pfxPassword) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("templateCommonName", text(field(item, "TemplateCommonName")));
    out.put("flags", field(item, "Flags") == null ? null : field(item, "Flags").asInt());
    JsonNode error = field(item, "Error");
    out.put("error", error == null || error.isNull() ? null : error.toString());
    boolean pkcs7 = bool(field(item, "isPkcs7"));
    boolean pfx = bool(field(item, "isPfx"));
    try {
      if (pkcs7) {
        out.put("pkcs7", binary(base64(item, "Pkcs7"), "PKCS7", null));
      }
      if (pfx) {
        out.put("pfx", binary(base64(item, "Pfx"), "PFX", pfxPassword));
      }
      if (!pkcs7 && !pfx && out.get("error") == null) {
        out.put("problem", "neither a PKCS#7 nor a PFX, and no error");
      }
    } catch (IllegalArgumentException | InvalidResponseException e) {
      out.put("problem", e.getMessage());
    }
    return out;
  }

  private static Map<String, Object> binary(byte[] der, String pemType, char[] pfxPassword)
      throws InvalidResponseException {
    InvalidResponseException.checkShape(der, pemType == null ? "the input" : "the " + pemType);
    if ("CERTIFICATE REQUEST".equals(pemType) || "NEW CERTIFICATE REQUEST".equals(pemType)) {
      return csr(der);
    }
    if ("CERTIFICATE".equals(pemType)) {
      return Map.of("kind", "X.509 certificate", "certificate", certificate(der));
    }
    if (!"PFX".equals(pemType)) {
      try {
        CmcResponse r = ResponseParser.parse(der);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", r.full() ? "CMC Full PKI Response" : "PKCS#7 (certificates only)");
        out.put("status", r.describeStatus());
        out.put("issuedCertificateHashes", r.issuedCertificateHashes().stream()
            .map(h -> HexFormat.of().formatHex(h)).toList());
        out.put("signer", r.signer() == null ? null : r.signer().getSubjectX500Principal().getName());
        List<Object> certs = new ArrayList<>();
        for (X509Certificate c : r.certificates()) {
          certs.add(describe(c));
        }
        out.put("certificates", certs);
        return out;
      } catch (InvalidResponseException e) {
        if ("PKCS7".equals(pemType)) {
          throw e;
        }
      }
      try {
        return csr(der);
      } catch (RuntimeException | InvalidResponseException e) {
        // not a CSR
      }
      try {
        return Map.of("kind", "X.509 certificate", "certificate", certificate(der));
      } catch (InvalidResponseException e) {
        // not a certificate: try PFX
      }
    }
    if (pfxPassword == null) {
      throw new InvalidResponseException("not a PKCS#7, CSR or certificate; if it is a PFX, give its password with "
          + "--password-source");
    }
    PfxContents pfx = PfxContents.open(der, pfxPassword);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "PFX (PKCS#12)");
    out.put("privateKey", pfx.key().getAlgorithm() + " (not shown)");
    out.put("certificate", describe(pfx.certificate()));
    out.put("chain", pfx.chain().stream().map(Inspector::describe).toList());
    return out;
  }

  private static Map<String, Object> csr(byte[] der) throws InvalidResponseException {
    InvalidResponseException.checkShape(der, "the request");
    try {
      PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("kind", "PKCS#10 certificate request");
      out.put("subject", csr.getSubject().toString());
      out.put("publicKey", csr.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId());
      out.put("signatureAlgorithm", csr.getSignatureAlgorithm().getAlgorithm().getId());
      out.put("signatureValid", csr.isSignatureValid(
          SignatureCheck.verifiers(csr.getSignatureAlgorithm().getAlgorithm(), csr.getSubjectPublicKeyInfo())));
      List<String> attrs = new ArrayList<>();
      for (var a : csr.getAttributes()) {
        attrs.add(a.getAttrType().getId());
      }
      out.put("attributes", attrs);
      return out;
    } catch (java.io.IOException | org.bouncycastle.operator.OperatorCreationException
             | org.bouncycastle.pkcs.PKCSException | RuntimeException e) {
      throw new InvalidResponseException("not a PKCS#10 request: " + e.getMessage());
    }
  }

  private static Map<String, Object> certificate(byte[] der) throws InvalidResponseException {
    InvalidResponseException.checkShape(der, "the certificate");
    try {
      return describe((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der)));
    } catch (java.security.cert.CertificateException | RuntimeException e) {
      throw new InvalidResponseException("not an X.509 certificate: " + e.getMessage());
    }
  }

  static Map<String, Object> describe(X509Certificate c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("subject", c.getSubjectX500Principal().getName());
    out.put("issuer", c.getIssuerX500Principal().getName());
    out.put("serial", c.getSerialNumber().toString(16));
    out.put("notBefore", c.getNotBefore().toInstant().toString());
    out.put("notAfter", c.getNotAfter().toInstant().toString());
    out.put("ca", c.getBasicConstraints() >= 0);
    try {
      out.put("sha1", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(c.getEncoded())));
      out.put("extendedKeyUsage", c.getExtendedKeyUsage());
    } catch (java.security.GeneralSecurityException e) {
      out.put("problem", e.getMessage());
    }
    return out;
  }

  private static JsonNode field(JsonNode node, String name) {
    for (var it = node.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getKey().equalsIgnoreCase(name)) {
        return f.getValue();
      }
    }
    return null;
  }

  private static byte[] base64(JsonNode item, String name) {
    String value = text(field(item, name));
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is missing or empty");
    }
    try {
      return Base64.getMimeDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not valid base64");
    }
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static boolean bool(JsonNode n) {
    return n != null && n.asBoolean(false);
  }
}
