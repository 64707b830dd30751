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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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
 * "Performance"). Arguments: {@code [clients] [seconds] [RSA|EC] [https|http] [warm-up seconds]}, default
 * {@code 8 10 RSA https 30};
 * {@code http} (plain HTTP on loopback) shows what TLS costs.
 *
 * <p>Each issuance costs the CA two signatures (the certificate and the CMC response), so the report also gives
 * the CA signatures per second during issuance.
 */
public final class IssuanceBenchmark {
  private static final String API = "CertificateManagement/api/v1.0/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("bench:bench-password"
      .getBytes(StandardCharsets.UTF_8));

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
      // Issuance cannot beat half the raw rate (two signatures each): pre-create that many requests and a margin,
      // for the warm-up and the measurement at once, so that no other load runs between them.
      int pool = (int) Math.ceil(rawN / 2 * 1.3);
      // Warm-up: JIT (C2 still compiled for a third of a core 10 s into the load), TLS sessions, H2 pages.
      int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : 3 * seconds;
      List<HttpClient> http = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        http.add(client(server));
      }
      BlockingQueue<String> ready = create(server, http, pool * (warmUp + seconds));
      issuance(server, http, csrs, warmUp, ready);
      Result result = issuance(server, http, csrs, seconds, ready);
      double rate = result.rate();

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
      double certificates = rate * (result.window() / 1e9);
      double perCert = 1 / certificates; // turns CPU nanoseconds in the window into nanoseconds per certificate
      System.out.printf("CPU per certificate:            %8.2f ms in all: server %.2f ms (of which 2 CA signatures "
          + "%.2f ms at the 1-thread raw rate), load generator %.2f ms, rest of the JVM (GC, JIT) %.2f ms%n",
          result.cpu().getOrDefault("process", 0L) * perCert / 1e6, result.cpu().getOrDefault("server", 0L) * perCert
              / 1e6, 2e3 / raw1, result.cpu().getOrDefault("client", 0L) * perCert / 1e6,
          result.cpu().getOrDefault("jvm", 0L) * perCert / 1e6);
      if (result.cpu().containsKey("gc")) {
        System.out.printf("  of the rest: GC threads %.2f ms, JIT compiler threads %.2f ms (from /proc, 10 ms ticks)%n",
            result.cpu().get("gc") * perCert / 1e6, result.cpu().getOrDefault("jit", 0L) * perCert / 1e6);
      }
      System.out.printf("CPU used in the timed window:   %8.1f of %d cores%n",
          result.cpu().getOrDefault("process", 0L) / (double) result.window(), cores);
    }
  }

  /** Certificates per second, the CPU nanoseconds each group of threads used in the timed window, its length. */
  private record Result(double rate, Map<String, Long> cpu, long window) {
  }

  /**
   * CPU time so far of each thread, keyed by thread id (native JVM threads by {@code gc}/{@code jit}), with its
   * group: {@code server} (cmserver's workers and the JDK server's dispatcher), {@code client} (the benchmark's
   * clients and their HttpClients); and {@code process}, the whole.
   */
  private static Map<String, long[]> cpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, long[]> out = new HashMap<>();
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      long ns = t == null ? -1 : mx.getThreadCpuTime(t.getThreadId());
      if (ns > 0) {
        String name = t.getThreadName();
        int group = name.startsWith("cmserver-") || name.startsWith("HTTP-Dispatcher") ? 0
            : name.startsWith("bench-") || name.startsWith("HttpClient-") ? 1 : 2;
        out.put(Long.toString(t.getThreadId()), new long[] {group, ns});
      }
    }
    out.put("process", new long[] {3, ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime()});
    Map<String, Long> jvm = new HashMap<>();
    nativeThreads(jvm);
    jvm.forEach((k, v) -> out.put(k, new long[] {4, v}));
    return out;
  }

  /**
   * CPU nanoseconds used since {@code before}: {@code server}, {@code client}, {@code jvm} (the rest: GC, JIT) and
   * {@code process}, and on Linux {@code gc} and {@code jit}. A thread that ended meanwhile is left out.
   */
  private static Map<String, Long> cpuSince(Map<String, long[]> before) {
    Map<String, Long> out = new HashMap<>();
    cpu().forEach((k, v) -> {
      long[] was = before.get(k);
      long used = v[1] - (was == null ? 0 : was[1]);
      String group = switch ((int) v[0]) {
        case 0 -> "server";
        case 1 -> "client";
        case 2 -> "other";
        case 3 -> "process";
        default -> k;
      };
      out.merge(group, used, Long::sum);
    });
    out.put("jvm", out.get("process") - out.getOrDefault("server", 0L) - out.getOrDefault("client", 0L));
    out.remove("other");
    return out;
  }

  /** On Linux, the JVM's own threads from /proc: {@code gc} (G1's workers, marking, refinement) and {@code jit}. */
  private static void nativeThreads(Map<String, Long> out) {
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
    if (!java.nio.file.Files.isDirectory(tasks)) {
      return;
    }
    long tick = 10_000_000L; // USER_HZ = 100 on Linux
    try (var dirs = java.nio.file.Files.list(tasks)) {
      for (var dir : (Iterable<java.nio.file.Path>) dirs::iterator) {
        try {
          String comm = java.nio.file.Files.readString(dir.resolve("comm")).strip();
          String group = comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "gc"
              : comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? "jit" : null;
          if (group != null) {
            String stat = java.nio.file.Files.readString(dir.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            out.merge(group, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick, Long::sum);
          }
        } catch (java.io.IOException | RuntimeException e) {
          // a thread that ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      // no per-thread figures: the total stays
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

  /** {@code requests} Approved requests, created by all clients at once. */
  private static BlockingQueue<String> create(CmServer server, List<HttpClient> http, int requests)
      throws Exception {
    URI base = server.baseUri().resolve(API);
    BlockingQueue<String> ready = new ArrayBlockingQueue<>(requests);
    byte[] create = JSON.writeValueAsBytes(Map.of("datacollection", "[]", "type", "Enroll", "profiletemplateuuid",
        BuiltInTemplates.SMART_CARD_LOGON.toString(), "comment", ""));
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> creators = new ArrayList<>();
    AtomicLong toCreate = new AtomicLong(requests);
    for (int c = 0; c < http.size(); c++) {
      HttpClient own = http.get(c);
      creators.add(new Thread(() -> {
        try {
          while (toCreate.getAndDecrement() > 0) {
            HttpResponse<String> r = own.send(HttpRequest.newBuilder(base.resolve("requests"))
                .header("Authorization", AUTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(create)).build(), HttpResponse.BodyHandlers.ofString());
            String location = JSON.readTree(r.body()).asText();
            ready.add(location.substring(location.lastIndexOf('/') + 1));
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      }, "bench-create-" + c));
    }
    creators.forEach(Thread::start);
    for (Thread t : creators) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("creating requests failed", failure.get());
    }
    return ready;
  }

  /**
   * Certificates per second over {@code seconds}: each client takes Approved requests from {@code ready} and calls
   * certificatedata on them, one at a time. Running out of requests before the time is up would cap the rate: it
   * fails.
   */
  private static Result issuance(CmServer server, List<HttpClient> http, List<String> csrs, double seconds,
      BlockingQueue<String> ready) throws Exception {
    URI base = server.baseUri().resolve(API);
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong issued = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < http.size(); c++) {
      int offset = c;
      HttpClient own = http.get(c);
      workers.add(new Thread(() -> {
        try {
          int i = offset;
          String id;
          while (!stop.get() && (id = ready.poll()) != null) {
            byte[] body = JSON.writeValueAsBytes(Map.of("pfxpassword", "", "certificaterequests",
                List.of(csrs.get(i++ % csrs.size())), "comments", ""));
            HttpResponse<byte[]> r = own.send(HttpRequest.newBuilder(base.resolve("requests/" + id
                + "/certificatedata")).header("Authorization", AUTH).header("Content-Type", "application/json")
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
      }, "bench-client-" + c));
    }
    Map<String, long[]> cpu0 = cpu();
    long start = System.nanoTime();
    java.time.Instant from = java.time.Instant.now();
    workers.forEach(Thread::start);
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    long window = System.nanoTime() - start;
    Map<String, Long> cpu = cpuSince(cpu0);
    double elapsed = window / 1e9;
    // For matching a profile (JFR) to the timed window.
    System.err.printf("timed window: %s to %s%n", from, java.time.Instant.now());
    for (Thread t : workers) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a benchmark client failed", failure.get());
    }
    if (ready.isEmpty()) {
      throw new IllegalStateException("the pre-created requests ran out: raise the pool");
    }
    return new Result(issued.get() / elapsed, cpu, window);
  }
}
