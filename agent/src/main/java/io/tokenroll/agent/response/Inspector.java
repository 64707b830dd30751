package io.tokenroll.agent.response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.encoding.Pem;
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
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Decodes what a CM server or CA sends or receives — a certificatedata answer or request (JSON), a CMC response or
 * PKCS#7, a PFX, a CSR, a certificate — into a plain description (nested maps, printable as JSON or text).
 */
public final class Inspector {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Inspector() {
  }

  public static Map<String, Object> inspect(byte[] bytes, char[] pfxPassword) throws InvalidResponseException {
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (text.startsWith("[") || text.startsWith("{")) {
      return json(text, pfxPassword);
    }
    if (Pem.looksLikePem(bytes)) {
      List<Pem.Block> blocks = Pem.decode(text);
      if (blocks.isEmpty()) {
        throw new InvalidResponseException("PEM without a readable block");
      }
      Pem.Block b = blocks.get(0);
      return binary(b.der(), b.type(), pfxPassword);
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
      out.put("kind", "certificatedata answer (" + root.size() + " item(s))");
      List<Object> items = new ArrayList<>();
      for (JsonNode item : root) {
        items.add(item(item, pfxPassword));
      }
      out.put("items", items);
      return out;
    }
    JsonNode csrs = field(root, "certificaterequests");
    if (csrs != null) {
      out.put("kind", "certificatedata request");
      List<Object> list = new ArrayList<>();
      for (JsonNode c : csrs) {
        list.add(csr(Base64.getMimeDecoder().decode(c.asText())));
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
    try {
      if (bool(field(item, "isPkcs7"))) {
        out.put("pkcs7", binary(Base64.getMimeDecoder().decode(text(field(item, "Pkcs7"))), "PKCS7", null));
      }
      if (bool(field(item, "isPfx"))) {
        out.put("pfx", binary(Base64.getMimeDecoder().decode(text(field(item, "Pfx"))), "PFX", pfxPassword));
      }
    } catch (IllegalArgumentException | InvalidResponseException e) {
      out.put("problem", e.getMessage());
    }
    return out;
  }

  private static Map<String, Object> binary(byte[] der, String pemType, char[] pfxPassword)
      throws InvalidResponseException {
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
    try {
      PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("kind", "PKCS#10 certificate request");
      out.put("subject", csr.getSubject().toString());
      out.put("publicKey", csr.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId());
      out.put("signatureAlgorithm", csr.getSignatureAlgorithm().getAlgorithm().getId());
      out.put("signatureValid", csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
          .setProvider(new BouncyCastleProvider()).build(csr.getSubjectPublicKeyInfo())));
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
    try {
      return describe((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der)));
    } catch (java.security.cert.CertificateException e) {
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

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static boolean bool(JsonNode n) {
    return n != null && n.asBoolean(false);
  }
}
