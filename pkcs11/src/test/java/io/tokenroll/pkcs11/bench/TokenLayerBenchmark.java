package io.tokenroll.pkcs11.bench;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.TokenSigner;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;

/**
 * The token layer against raw wrapper calls doing the same PKCS#11 work, in one run on one SoftHSM2 token
 * (tmpfs), interleaved so drift hits both alike, early (little warm-up) and in steady state (after the JIT has
 * compiled both paths); and pkcs11-tool's per-process cost for the same operations.
 * Not a test: it asserts nothing. Run with
 * {@code mvn -pl pkcs11 test -Dtest=TokenLayerBenchmark -Dbenchmark=true}; results go to stdout and
 * {@code pkcs11/target/benchmarks/token-layer.md}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class TokenLayerBenchmark {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final StringBuilder report = new StringBuilder();

  @Test
  void run() throws Exception {
    TestToken token = SoftHsm2.get().newToken("bench");
    try (TokenSession layer = token.open()) {
      Session raw = rawSession(token);
      // Early: a few operations of warm-up, as a CLI run or an agent's first enrollments see the layer, its code
      // still interpreted or compiled without optimisation.
      line("| operation, early (3 key pairs / 200 signatures of warm-up) | tokenroll layer (ms) | raw wrapper calls (ms) "
          + "| layer overhead |");
      line("|---|---|---|---|");
      keygen(layer, raw, KeySpec.parse("EC-P256"), 3, 300);
      keygen(layer, raw, KeySpec.parse("EC-P384"), 3, 200);
      keygen(layer, raw, KeySpec.rsa(2048), 3, 40);
      keygen(layer, raw, KeySpec.rsa(3072), 3, 12);
      sign(layer, raw, KeySpec.parse("EC-P256"), SignatureAlgorithm.SHA256_ECDSA, CKM_ECDSA, 200, 3000);
      sign(layer, raw, KeySpec.rsa(2048), SignatureAlgorithm.SHA256_RSA, CKM_SHA256_RSA_PKCS, 200, 3000);
      // Steady state: both paths run until the JIT has compiled them, as in a long-running agent. (RSA key
      // generation is left out: prime search varies far more than any layer could add.)
      line("");
      line("| operation, steady state (6,000 key pairs / 20,000 signatures of warm-up) | tokenroll layer (ms) "
          + "| raw wrapper calls (ms) | layer overhead |");
      line("|---|---|---|---|");
      keygen(layer, raw, KeySpec.parse("EC-P256"), 6000, 300);
      keygen(layer, raw, KeySpec.parse("EC-P384"), 6000, 200);
      sign(layer, raw, KeySpec.parse("EC-P256"), SignatureAlgorithm.SHA256_ECDSA, CKM_ECDSA, 20000, 3000);
      sign(layer, raw, KeySpec.rsa(2048), SignatureAlgorithm.SHA256_RSA, CKM_SHA256_RSA_PKCS, 20000, 3000);
      pkcs11Tool(token);
    }
    Path out = Path.of("target/benchmarks/token-layer.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
    System.out.println(report);
  }

  private void line(String s) {
    report.append(s).append('\n');
  }

  private static Session rawSession(TestToken token) throws Exception {
    // The same initialised library (C_Initialize runs once per process), reached through the wrapper directly.
    PKCS11Module m = PKCS11Module.getInstance(SoftHsm2.LIBRARY.toRealPath().toString());
    for (Slot slot : m.getSlotList(true)) {
      if (slot.getToken().getTokenInfo().getLabel().trim().equals(token.label())) {
        return slot.getToken().openSession(true); // the token is already logged in by the layer's session
      }
    }
    throw new IllegalStateException("token not found");
  }

  /**
   * Raw: what a hand-written program does for the same result — C_GenerateKeyPair with the same template, read
   * the public key, set CKA_ID to its SHA-1 on both halves.
   */
  private static void rawKeygen(Session s, KeySpec spec) throws Exception {
    boolean rsa = spec.type() == KeySpec.Type.RSA;
    byte[] tmpId = new byte[20];
    RANDOM.nextBytes(tmpId);
    KeyPairTemplate t = new KeyPairTemplate(rsa ? CKK_RSA : CKK_EC).token(true).id(tmpId).labels("raw");
    t.privateKey().private_(true).sensitive(true).extractable(false).sign(true).derive(false).decrypt(false)
        .unwrap(false);
    t.publicKey().private_(false).verify(true).derive(false).encrypt(false).wrap(false);
    if (rsa) {
      t.publicKey().modulusBits(spec.bits()).publicExponent(BigInteger.valueOf(65537));
    } else {
      ASN1ObjectIdentifier oid = spec.bits() == 256 ? SECObjectIdentifiers.secp256r1 : SECObjectIdentifiers.secp384r1;
      t.publicKey().ecParams(oid.getEncoded());
    }
    PKCS11KeyPair kp = s.generateKeyPair(new Mechanism(rsa ? CKM_RSA_PKCS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN), t);
    AttributeVector pub = rsa ? s.getAttrValues(kp.getPublicKey(), CKA_MODULUS, CKA_PUBLIC_EXPONENT)
        : s.getAttrValues(kp.getPublicKey(), CKA_EC_POINT);
    byte[] keyBits = rsa ? pub.modulus().toByteArray() : pub.ecPoint();
    byte[] id = MessageDigest.getInstance("SHA-1").digest(keyBits);
    s.setAttributeValues(kp.getPrivateKey(), new AttributeVector().id(id));
    s.setAttributeValues(kp.getPublicKey(), new AttributeVector().id(id));
  }

  private void keygen(TokenSession layer, Session raw, KeySpec spec, int warmUp, int n) throws Exception {
    for (int i = 0; i < warmUp; i++) {
      layer.generateKeyPair(KeyTemplate.signing(spec, "warm"));
      rawKeygen(raw, spec);
      if (i % 50 == 49) {
        clean(layer);
      }
    }
    long[] a = new long[n];
    long[] b = new long[n];
    for (int i = 0; i < n; i++) {
      // alternate which goes first: on SoftHSM the first access after another session's write re-reads state
      if (i % 2 == 0) {
        a[i] = time(() -> layer.generateKeyPair(KeyTemplate.signing(spec, "bench")));
        b[i] = time(() -> rawKeygen(raw, spec));
      } else {
        b[i] = time(() -> rawKeygen(raw, spec));
        a[i] = time(() -> layer.generateKeyPair(KeyTemplate.signing(spec, "bench")));
      }
      if (i % 50 == 49) {
        clean(layer); // keep the token small; not timed
      }
    }
    clean(layer);
    Stats layerStats = Stats.of(a);
    Stats rawStats = Stats.of(b);
    line("| keygen " + spec + " (token objects) | " + layerStats.format() + " | " + rawStats.format() + " | "
        + Stats.overhead(layerStats, rawStats) + " |");
  }

  @FunctionalInterface
  private interface Op {
    void run() throws Exception;
  }

  private static long time(Op op) throws Exception {
    long t0 = System.nanoTime();
    op.run();
    return System.nanoTime() - t0;
  }

  private static void clean(TokenSession layer) throws Exception {
    for (String label : List.of("bench", "raw", "warm")) {
      if (!layer.find(ObjectQuery.byLabel(label)).isEmpty()) {
        layer.delete(ObjectQuery.byLabel(label));
      }
    }
  }

  private void sign(TokenSession layer, Session raw, KeySpec spec, SignatureAlgorithm alg, long rawMech, int warmUp,
                    int n) throws Exception {
    GeneratedKey key = layer.generateKeyPair(KeyTemplate.signing(spec, "sign bench"));
    TokenSigner signer = layer.signer(key.ref().id(), alg);
    long handle = raw.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).id(key.ref().id().toByteArray()),
        1)[0];
    byte[] data = new byte[256];
    RANDOM.nextBytes(data);
    byte[] digest = MessageDigest.getInstance(alg.digest()).digest(data);
    // Raw ECDSA signs the host digest with CKM_ECDSA, exactly as the layer does on SoftHSM (no CKM_ECDSA_SHA256).
    byte[] rawInput = rawMech == CKM_ECDSA ? digest : data;
    Mechanism m = new Mechanism(rawMech);
    for (int i = 0; i < warmUp; i++) {
      signer.sign(data);
      raw.signSingle(m, handle, rawInput);
    }
    long[] a = new long[n];
    long[] b = new long[n];
    Op rawSign = () -> raw.signSingle(m, handle,
        rawMech == CKM_ECDSA ? MessageDigest.getInstance(alg.digest()).digest(data) : rawInput);
    for (int i = 0; i < n; i++) {
      if (i % 2 == 0) {
        a[i] = time(() -> signer.sign(data));
        b[i] = time(rawSign);
      } else {
        b[i] = time(rawSign);
        a[i] = time(() -> signer.sign(data));
      }
    }
    layer.delete(ObjectQuery.byId(key.ref().id()));
    Stats layerStats = Stats.of(a);
    Stats rawStats = Stats.of(b);
    line("| sign " + alg.jcaName() + " (" + spec + ") | " + layerStats.format() + " | " + rawStats.format() + " | "
        + Stats.overhead(layerStats, rawStats) + " |");
  }

  /** pkcs11-tool pays process start, library load, C_Initialize and login on every operation. */
  private void pkcs11Tool(TestToken token) throws IOException {
    String pin = Backends.readSecret(token.userPinFile());
    List<String> base = List.of("pkcs11-tool", "--module", SoftHsm2.LIBRARY.toString(), "--token-label",
        token.label(), "--login", "--pin", pin);
    line("");
    line("| pkcs11-tool, one process per operation | mean ms (n=10) |");
    line("|---|---|");
    List<String> keyTypes = List.of("EC:prime256v1", "EC:secp384r1", "rsa:2048");
    for (int k = 0; k < keyTypes.size(); k++) {
      String keyType = keyTypes.get(k);
      long[] t = new long[10];
      for (int i = 0; i < t.length; i++) {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(List.of("--keypairgen", "--key-type", keyType, "--label", "tool", "--id",
            String.format("%02x%02x", k + 1, i + 1)));
        long t0 = System.nanoTime();
        Backends.run(cmd, token.environment(), 120);
        t[i] = System.nanoTime() - t0;
      }
      line("| keygen " + keyType + " | " + String.format("%.1f", Stats.of(t).meanMs()) + " |");
    }
    Path data = Files.createTempFile("bench", ".bin");
    Files.write(data, new byte[32]); // a SHA-256 digest: SoftHSM2 has CKM_ECDSA but no CKM_ECDSA_SHA256
    long[] t = new long[10];
    for (int i = 0; i < t.length; i++) {
      List<String> cmd = new ArrayList<>(base);
      cmd.addAll(List.of("--sign", "--mechanism", "ECDSA", "--id", "0101", "--input-file", data.toString(),
          "--output-file", data + ".sig"));
      long t0 = System.nanoTime();
      Backends.run(cmd, token.environment(), 60);
      t[i] = System.nanoTime() - t0;
    }
    line("| sign ECDSA over a SHA-256 digest (P-256) | " + String.format("%.1f", Stats.of(t).meanMs()) + " |");
  }
}
