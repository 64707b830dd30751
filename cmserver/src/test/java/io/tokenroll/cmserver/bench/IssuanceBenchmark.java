package io.tokenroll.cmserver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.cmserver.BuiltInTemplates;
import io.tokenroll.cmserver.CmServer;
import io.tokenroll.cmserver.CmServerConfig;
import io.tokenroll.cmserver.ca.CaSettings;
import io.tokenroll.cmserver.http.Tls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Issuance throughput over HTTPS (keep-alive, several concurrent clients; CSR in, CMC full response out) beside the
 * raw signing rate of the same CA key, measured in the same run. Not a test: run it by hand (docs/cmserver.md,
 * "Performance"). Arguments: {@code [clients] [seconds] [RSA|EC] [https|http]}, default {@code 8 10 RSA https};
 * {@code http} (plain HTTP on loopback) shows what TLS costs.
 *
 * <p>Each issuance costs the CA two signatures (the certificate and the CMC response), so the report also gives
 * the CA signatures per second during issuance.
 */
public final class IssuanceBenchmark {
  private static final String API = "CertificateManagement/api/v1.0/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private IssuanceBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String caAlg = args.length > 2 ? args[2].toUpperCase() : "RSA";
    boolean plain = args.length > 3 && args[3].equalsIgnoreCase("http");
    int cores = Runtime.getRuntime().availableProcessors();
    CaSettings ca = new CaSettings("Bench Issuing CA", "Bench Root CA", caAlg, caAlg.equals("RSA") ? 2048 : 256,
        "SHA256", "localhost");
    try (CmServer server = CmServer.start(CmServerConfig.defaults().withPort(0).withCa(ca)
        .withUser("bench", "bench-password", "bench@example.test").withPlainHttp(plain))) {
      PrivateKey caKey = server.certificateAuthority().keys().issuingKey();
      String sigAlg = ca.signatureAlgorithm();
      rawSigning(caKey, sigAlg, cores, 2); // warm-up
      double raw1 = rawSigning(caKey, sigAlg, 1, seconds / 2.0);
      double rawN = rawSigning(caKey, sigAlg, cores, seconds / 2.0);

      List<String> csrs = csrs(16);
      // Issuance cannot beat half the raw rate (two signatures each): pre-create that many requests and a margin.
      int pool = (int) Math.ceil(rawN / 2 * 1.3);
      issuance(server, csrs, clients, 3, pool * 3); // warm-up: JIT, TLS sessions, H2 pages
      double rate = issuance(server, csrs, clients, seconds, pool * seconds);

      System.out.printf("machine: %d cores, %s %s, %s%n", cores, System.getProperty("java.vm.name"),
          System.getProperty("java.version"), System.getProperty("os.name"));
      System.out.printf("CA key: %s %d, %s%n", caAlg, ca.keySize(), sigAlg);
      System.out.printf("raw signing, 1 thread:          %8.1f signatures/s%n", raw1);
      System.out.printf("raw signing, %d threads:         %8.1f signatures/s%n", cores, rawN);
      System.out.printf("issuance over %s, %d clients: %8.1f certificates/s (certificatedata, CSR in, CMC out)%n",
          plain ? "HTTP" : "HTTPS", clients, rate);
      System.out.printf("CA signatures during issuance:  %8.1f signatures/s (2 per certificate)%n", 2 * rate);
      System.out.printf("issuance rate / raw rate:       %8.1f %%%n", 100 * rate / rawN);
      System.out.printf("CA signature rate / raw rate:   %8.1f %%%n", 100 * 2 * rate / rawN);
    }
  }

  private static double rawSigning(PrivateKey key, String alg, int threads, double seconds) throws Exception {
    byte[] tbs = new byte[1024];
    AtomicLong count = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try {
          Signature s = Signature.getInstance(alg);
          while (!stop.get()) {
            s.initSign(key);
            s.update(tbs);
            s.sign();
            count.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      workers.add(t);
    }
    long start = System.nanoTime();
    workers.forEach(Thread::start);
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : workers) {
      t.join();
    }
    return count.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static List<String> csrs(int n) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      var kp = g.generateKeyPair();
      byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(""), kp.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())).getEncoded();
      out.add(Base64.getMimeEncoder(64, "\r\n".getBytes()).encodeToString(der));
    }
    return out;
  }

  /** A keep-alive HTTP/1.1 client that trusts the server's root. */
  private static HttpClient client(CmServer server) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(Tls.clientContext(server.trustAnchors().get(0))).build();
  }

  /**
   * Certificates per second: {@code requests} Approved requests are created first (by all clients at once), then
   * only certificatedata is timed. Running out of requests before the time is up would cap the rate: it fails.
   */
  private static double issuance(CmServer server, List<String> csrs, int clients, double seconds, int requests)
      throws Exception {
    String auth = "Basic " + Base64.getEncoder().encodeToString("bench:bench-password".getBytes());
    URI base = server.baseUri().resolve(API);
    BlockingQueue<String> ready = new ArrayBlockingQueue<>(requests);
    byte[] create = JSON.writeValueAsBytes(Map.of("datacollection", "[]", "type", "Enroll", "profiletemplateuuid",
        BuiltInTemplates.SMART_CARD_LOGON.toString(), "comment", ""));
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> creators = new ArrayList<>();
    AtomicLong toCreate = new AtomicLong(requests);
    for (int c = 0; c < clients; c++) {
      creators.add(new Thread(() -> {
        try {
          HttpClient http = client(server);
          while (toCreate.getAndDecrement() > 0) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("requests"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(create)).build(), HttpResponse.BodyHandlers.ofString());
            String location = JSON.readTree(r.body()).asText();
            ready.add(location.substring(location.lastIndexOf('/') + 1));
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    creators.forEach(Thread::start);
    for (Thread t : creators) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("creating requests failed", failure.get());
    }
    AtomicLong issued = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int offset = c;
      workers.add(new Thread(() -> {
        try {
          HttpClient own = client(server);
          int i = offset;
          String id;
          while (!stop.get() && (id = ready.poll()) != null) {
            byte[] body = JSON.writeValueAsBytes(Map.of("pfxpassword", "", "certificaterequests",
                List.of(csrs.get(i++ % csrs.size())), "comments", ""));
            HttpResponse<byte[]> r = own.send(HttpRequest.newBuilder(base.resolve("requests/" + id
                + "/certificatedata")).header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || !new String(r.body(), StandardCharsets.UTF_8).contains("\"isPkcs7\":true")) {
              throw new IllegalStateException("certificatedata answered " + r.statusCode() + ": "
                  + new String(r.body(), StandardCharsets.UTF_8));
            }
            if (!stop.get()) {
              issued.incrementAndGet();
            }
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    long start = System.nanoTime();
    workers.forEach(Thread::start);
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (Thread t : workers) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a benchmark client failed", failure.get());
    }
    if (ready.isEmpty()) {
      throw new IllegalStateException("the " + requests + " pre-created requests ran out: raise the pool");
    }
    return issued.get() / elapsed;
  }
}
