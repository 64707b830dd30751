package io.tokenroll.e2e.bench;

import io.tokenroll.agent.csr.CsrBuilder;
import io.tokenroll.agent.csr.CsrRequest;
import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.agent.http.HttpTransport;
import io.tokenroll.cmserver.CmServer;
import io.tokenroll.cmserver.CmServerConfig;
import io.tokenroll.cmserver.ca.Requester;
import io.tokenroll.dist.Main;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.FullResponseProperty;
import io.tokenroll.protocol.certsrv.OutputFlags;
import io.tokenroll.protocol.certsrv.PropType;
import io.tokenroll.protocol.certsrv.RequestFlags;
import java.nio.charset.StandardCharsets;
import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.GeneratedKey;
import io.tokenroll.pkcs11.KeyId;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.KeyTemplate;
import io.tokenroll.pkcs11.ObjectClass;
import io.tokenroll.pkcs11.ObjectQuery;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.bench.Stats;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import io.tokenroll.pkcs11.testing.TestToken;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The full {@code enroll} flow against the raw work it cannot avoid, in one process and one run: token work (key
 * generation, CSR signature, certificate object writes) plus the CA's issuance (submit to the CA core, in
 * process, no HTTP). Interleaved, warm JVM, loopback HTTPS with keep-alive, journal on tmpfs. Also the number of
 * HTTP round trips per enrollment and the cold CLI wall time. Not a test: it asserts nothing. Run with
 * {@code mvn -pl tests test -Dtest=EnrollmentBenchmark -Dbenchmark=true}; results in
 * {@code tests/target/benchmarks/enrollment.md}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class EnrollmentBenchmark {
  private final StringBuilder report = new StringBuilder();

  @Test
  void run() throws Exception {
    TestToken token = SoftHsm2.get().newToken("bench");
    Path dir = Backends.privateDirectory("tokenroll-bench-");
    String pw = Backends.randomHex(16);
    Path password = Backends.writeSecret(dir.resolve("pw"), pw);
    try (CmServer server = CmServer.start(CmServerConfig.defaults().withPort(0).withStateDirectory(null)
        .withUser("bench", pw, "bench@example.test"));
         TokenSession session = token.open()) {
      Path trust = dir.resolve("ca.pem");
      StringBuilder pem = new StringBuilder();
      for (X509Certificate c : server.trustAnchors()) {
        pem.append(Pem.encode("CERTIFICATE", c.getEncoded()));
      }
      Files.writeString(trust, pem);
      List<String> base = List.of("--server", server.baseUri().toString(), "--token", token.label(),
          "--pin-source", "file:" + token.userPinFile(), "--user", "bench", "--password-source", "file:" + password,
          "--trust", trust.toString(), "--state-dir", dir.resolve("state").toString());
      line("| template | full enroll flow (ms) | raw: token work + CA issuance (ms) | ratio | of which CA (ms) "
          + "| HTTP round trips | time in HTTP exchanges (ms) | agent on the host: full − HTTP − token work (ms) |");
      line("|---|---|---|---|---|---|---|---|");
      // Warm the JIT on both sides (client and server code) with cheap EC enrollments before anything is timed.
      for (int i = 0; i < Integer.getInteger("bench.warmup", 100); i++) {
        enroll(base, "Smart Card Logon EC");
        raw(server, session, KeySpec.parse("EC-P256"), SignatureAlgorithm.SHA256_ECDSA);
        if (i % 10 == 9) {
          clean(session);
        }
      }
      compare(server, session, base, "Smart Card Logon", KeySpec.rsa(2048), SignatureAlgorithm.SHA256_RSA, 100);
      compare(server, session, base, "Smart Card Logon EC", KeySpec.parse("EC-P256"), SignatureAlgorithm.SHA256_ECDSA,
          60);
      cold(base);
    }
    Path out = Path.of("target/benchmarks/enrollment.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
    System.out.println(report);
  }

  private void line(String s) {
    report.append(s).append('\n');
  }

  private static int enroll(List<String> base, String template) {
    List<String> args = new ArrayList<>(List.of("enroll", "--template", template));
    args.addAll(base);
    String[] argv = args.toArray(String[]::new);
    var cl = Main.commandLine(argv); // as main() builds it: the root and the enroll command
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(new StringWriter()));
    int code = cl.execute(argv);
    if (code != 0) {
      throw new IllegalStateException("enroll failed with " + code);
    }
    return code;
  }

  /**
   * What an enrollment cannot avoid: key, CSR signature, the CA issuing, the leaf and two CA certificates written.
   * Returns the nanoseconds spent in the CA (the rest was token work).
   */
  private static long raw(CmServer server, TokenSession s, KeySpec spec, SignatureAlgorithm alg) throws Exception {
    GeneratedKey key = s.generateKeyPair(KeyTemplate.signing(spec, "raw"));
    byte[] csr = CsrBuilder.build(s.signer(key.ref().id(), alg), new CsrRequest(CsrRequest.subject(""),
        EnumSet.of(io.tokenroll.pkcs11.KeyUsage.SIGN))).getEncoded();
    // The issuance exactly as cmserver's certificatedata service does it, minus HTTP and JSON: ICertRequest2.
    long c0 = System.nanoTime();
    var ca = server.certificateAuthority().session(new Requester("bench", "bench@example.test"));
    int disposition = ca.submit(RequestFlags.CR_IN_BINARY | RequestFlags.CR_IN_PKCS10 | RequestFlags.CR_IN_FULLRESPONSE,
        new String(csr, StandardCharsets.ISO_8859_1), "CertificateTemplate:SmartcardLogon", server.caConfig());
    if (disposition != Disposition.CR_DISP_ISSUED) {
      throw new IllegalStateException("not issued: " + ca.getDispositionMessage());
    }
    ca.getFullResponseProperty(FullResponseProperty.FULLRESPONSE.id(), 0, PropType.PROPTYPE_BINARY,
        OutputFlags.CR_OUT_BINARY);
    X509Certificate leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(ca.getCertificate(OutputFlags.CR_OUT_BINARY)
            .getBytes(StandardCharsets.ISO_8859_1)));
    long caNanos = System.nanoTime() - c0;
    s.storeCertificate(leaf, key.ref().id(), "raw", CertificateCategory.USER);
    for (X509Certificate authority : server.trustAnchors()) {
      s.storeCertificate(authority, KeyId.subjectKeyIdOf(authority.getPublicKey()), "ca", CertificateCategory.AUTHORITY);
    }
    return caNanos;
  }

  private void compare(CmServer server, TokenSession s, List<String> base, String template, KeySpec spec,
                       SignatureAlgorithm alg, int n) throws Exception {
    clean(s);
    for (int i = 0; i < 3; i++) {
      enroll(base, template);
      raw(server, s, spec, alg);
    }
    long[] full = new long[n];
    long[] raw = new long[n];
    long[] caTime = new long[n];
    long[] http = new long[n];
    long exchanges = 0;
    for (int i = 0; i < n; i++) {
      long e0 = HttpTransport.exchanges();
      long h0 = HttpTransport.exchangeNanos();
      long t0 = System.nanoTime();
      enroll(base, template);
      long t1 = System.nanoTime();
      exchanges += HttpTransport.exchanges() - e0;
      http[i] = HttpTransport.exchangeNanos() - h0;
      caTime[i] = raw(server, s, spec, alg);
      long t2 = System.nanoTime();
      full[i] = t1 - t0;
      raw[i] = t2 - t1;
      if (i % 10 == 9) {
        clean(s); // keep the token small: SoftHSM's object lookups grow with the number of objects
      }
    }
    Stats f = Stats.of(full);
    Stats r = Stats.of(raw);
    double ca = Stats.of(caTime).meanMs();
    double h = Stats.of(http).meanMs();
    double tokenWork = r.meanMs() - ca;
    line("| " + template + " (" + spec + ") | " + f.format() + " | " + r.format() + " | "
        + String.format("%.3f", f.meanMs() / r.meanMs()) + " | " + String.format("%.1f", ca) + " | " + exchanges / n
        + " | " + String.format("%.1f", h) + " | " + String.format("%.1f", f.meanMs() - h - tokenWork) + " |");
  }

  private static void clean(TokenSession s) throws Exception {
    for (ObjectClass c : List.of(ObjectClass.PRIVATE_KEY, ObjectClass.PUBLIC_KEY, ObjectClass.CERTIFICATE)) {
      if (!s.find(new ObjectQuery(c, null, null)).isEmpty()) {
        s.delete(new ObjectQuery(c, null, null));
      }
    }
  }

  /** A new JVM per command, as a user's shell runs it: startup, class loading, library load, TLS, all of it. */
  private void cold(List<String> base) throws Exception {
    Path jar = Path.of("../dist/target/tokenroll.jar").toAbsolutePath().normalize();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> opts = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");
    line("");
    line("| cold CLI, new JVM each run (as bin/tokenroll starts it) | wall time ms (n=5) |");
    line("|---|---|");
    for (List<String> args : List.of(List.of("--version"), List.of("tokens"),
        concat(List.of("enroll", "--template", "Smart Card Logon EC"), base))) {
      long[] t = new long[5];
      for (int i = 0; i < t.length; i++) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(opts);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(args);
        long t0 = System.nanoTime();
        Backends.run(cmd, Map.of(), 120);
        t[i] = System.nanoTime() - t0;
      }
      line("| tokenroll " + String.join(" ", args.subList(0, Math.min(3, args.size()))) + " | "
          + String.format("%.0f", Stats.of(t).meanMs()) + " |");
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }
}
