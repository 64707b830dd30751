package io.tokenroll.cmserver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.cmserver.BuiltInTemplates;
import io.tokenroll.cmserver.CmServer;
import io.tokenroll.cmserver.CmServerConfig;
import io.tokenroll.cmserver.http.Tls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The latency of each round trip of one smart card enrollment, as the agent makes them: one client, one keep-alive
 * HTTPS connection, one request at a time. Not a test: run it by hand (docs/cmserver.md, "Performance").
 * Arguments: {@code [enrollments] [https|http]}, default {@code 300 https}; the first third is warm-up.
 */
public final class RoundTripBenchmark {
  private static final String API = "CertificateManagement/api/v1.0/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RoundTripBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    boolean plain = args.length > 1 && args[1].equalsIgnoreCase("http");
    try (CmServer server = CmServer.start(CmServerConfig.defaults().withPort(0).withPlainHttp(plain)
        .withUser("bench", "bench-password", "bench@example.test"))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(Tls.clientContext(server.trustAnchors().get(0))).build();
      String auth = "Basic " + Base64.getEncoder().encodeToString("bench:bench-password".getBytes());
      URI base = server.baseUri().resolve(API);
      String template = BuiltInTemplates.SMART_CARD_LOGON.toString();
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      var kp = g.generateKeyPair();
      String csr = Base64.getMimeEncoder(64, "\r\n".getBytes()).encodeToString(
          new JcaPKCS10CertificationRequestBuilder(new X500Name(""), kp.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())).getEncoded());
      Map<String, long[]> times = new LinkedHashMap<>();
      Map<String, long[]> cpu = new LinkedHashMap<>();
      Map<String, long[]> alloc = new LinkedHashMap<>();
      int warm = n / 3;
      for (int i = 0; i < n + warm; i++) {
        int slot = i - warm;
        Probe p = (name, method, path, body) -> {
          HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", auth)
              .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
          if (body != null) {
            b.header("Content-Type", "application/json");
          }
          HttpRequest request = b.build();
          long[] s0 = serverThreads();
          long t0 = System.nanoTime();
          HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          long t = System.nanoTime() - t0;
          long[] s1 = serverThreads();
          if (r.statusCode() >= 300) {
            throw new IllegalStateException(name + " answered " + r.statusCode() + ": " + r.body());
          }
          if (slot >= 0) {
            times.computeIfAbsent(name, k -> new long[n])[slot] = t;
            cpu.computeIfAbsent(name, k -> new long[n])[slot] = s1[0] - s0[0];
            alloc.computeIfAbsent(name, k -> new long[n])[slot] = s1[1] - s0[1];
          }
          return r.body();
        };
        p.send("GET policies/enroll", "GET", "profiletemplates/" + template + "/policies/enroll", null);
        String location = JSON.readTree(p.send("POST requests", "POST", "requests", Map.of("datacollection", "[]",
            "type", "Enroll", "profiletemplateuuid", template, "comment", ""))).asText();
        String id = location.substring(location.lastIndexOf('/') + 1);
        p.send("GET requests/{id}", "GET", "requests/" + id, null);
        p.send("POST smartcards", "POST", "smartcards", Map.of("requestid", id, "cardid",
            UUID.randomUUID().toString(), "atr", "3b8f"));
        p.send("GET generationoptions", "GET", "requests/" + id + "/certificaterequestgenerationoptions", null);
        p.send("POST certificatedata", "POST", "requests/" + id + "/certificatedata", Map.of("pfxpassword", "",
            "certificaterequests", List.of(csr), "comments", ""));
        p.send("PUT requests/{id}", "PUT", "requests/" + id, Map.of("status", "Completed"));
      }
      System.out.printf("%d enrollments over %s after %d warm-up, one keep-alive client%n", n,
          plain ? "HTTP" : "HTTPS", warm);
      System.out.printf("%-24s %10s %10s %10s %16s %16s%n", "round trip", "median ms", "mean ms", "p90 ms",
          "server CPU ms", "server alloc KB");
      for (var e : times.entrySet()) {
        long[] t = e.getValue().clone();
        Arrays.sort(t);
        long[] c = cpu.get(e.getKey()).clone();
        Arrays.sort(c);
        System.out.printf("%-24s %10.3f %10.3f %10.3f %16.3f %16.1f%n", e.getKey(), t[t.length / 2] / 1e6,
            Arrays.stream(t).average().orElse(0) / 1e6, t[t.length * 9 / 10] / 1e6, c[c.length / 2] / 1e6,
            Arrays.stream(alloc.get(e.getKey())).average().orElse(0) / 1024);
      }
      System.out.println("(server CPU: median thread CPU time of cmserver's workers and the JDK server's dispatcher "
          + "during the round trip; alloc: mean bytes they allocated)");
    }
  }

  /** CPU nanoseconds and allocated bytes so far of the server's threads (cmserver-N and the HTTP dispatcher). */
  private static long[] serverThreads() {
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu = 0;
    long bytes = 0;
    for (var t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && (t.getThreadName().startsWith("cmserver-") || t.getThreadName().startsWith("HTTP-Dispatcher"))) {
        cpu += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
        bytes += Math.max(0, mx.getThreadAllocatedBytes(t.getThreadId()));
      }
    }
    return new long[] {cpu, bytes};
  }

  @FunctionalInterface
  private interface Probe {
    String send(String name, String method, String path, Object body) throws Exception;
  }
}
