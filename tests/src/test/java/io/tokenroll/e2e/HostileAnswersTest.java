package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenroll.agent.cli.ExitCodes;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.cmserver.faults.CmFaults;
import io.tokenroll.pkcs11.CertificateCategory;
import io.tokenroll.pkcs11.ObjectClass;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * A corpus of hostile and broken server answers, each against a fresh token: the agent must say clearly what is
 * wrong, leave the token as it was (no key, no certificate it cannot stand behind) and leave no request dangling
 * on the server. Outages and transient failures must be ridden out or reported as "stuck" — never a busy loop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileAnswersTest {
  private static final String DATA = "/certificatedata$";
  private Stack base;
  private Forge forge;

  /** How a case ends. */
  enum End { REFUSED, PARTIAL, COMPLETED, STUCK, ERROR }

  @FunctionalInterface
  interface Arm {
    void on(CmFaults faults, Forge forge) throws Exception;
  }

  record Case(String name, String template, Arm arm, End end, String message) {
  }

  @BeforeAll
  void start() throws Exception {
    base = new Stack("hostile");
    forge = new Forge(base.server);
  }

  @AfterAll
  void stop() {
    base.close();
  }

  /** Rewrites item 0 of the genuine certificatedata answer. */
  private static Arm item(ItemEdit edit) {
    return (faults, forge) -> faults.transformResponse("POST", DATA, 1, body -> {
      ArrayNode items = Forge.items(body);
      try {
        edit.edit((ObjectNode) items.get(0), items, forge);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return Forge.bytes(items);
    });
  }

  @FunctionalInterface
  interface ItemEdit {
    void edit(ObjectNode item, ArrayNode all, Forge forge) throws Exception;
  }

  private static Arm replace(String method, String path, int status, String body) {
    return (f, g) -> f.replaceResponse(method, path, 1, status, "application/json",
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static Arm transform(String method, String path, UnaryOperator<byte[]> t) {
    return (f, g) -> f.transformResponse(method, path, 1, t);
  }

  /** A CMC answer forged by the CA: our leaf's key, but this certificate list, status and hash. */
  private static Arm cmc(int status, String text, boolean goodHash) {
    return item((item, all, forge) -> {
      byte[] p7 = Forge.pkcs7(item);
      X509Certificate leaf = Forge.leaf(p7);
      byte[] hash = MessageDigest.getInstance("SHA-1").digest(goodHash ? leaf.getEncoded() : new byte[] {1});
      item.put("Pkcs7", Forge.b64(forge.cmc(status, text, hash, Forge.certificates(p7))));
    });
  }

  private static Arm leafFor(ForgeLeaf f) {
    return item((item, all, forge) -> {
      X509Certificate ours = Forge.leaf(Forge.pkcs7(item));
      List<X509Certificate> certs = new ArrayList<>(f.make(ours, forge));
      item.put("Pkcs7", Forge.b64(Forge.certsOnly(certs)));
    });
  }

  @FunctionalInterface
  interface ForgeLeaf {
    List<X509Certificate> make(X509Certificate ours, Forge forge) throws Exception;
  }

  private static final Instant NOW = Instant.now();
  private static final Instant DAY_AGO = NOW.minus(Duration.ofDays(1));
  private static final Instant LATER = NOW.plus(Duration.ofDays(30));

  private List<Case> cases() {
    String logon = "Smart Card Logon";
    return List.of(
        new Case("malformed JSON", logon, replace("POST", DATA, 200, "[{\"Pkcs7\": "), End.REFUSED, "malformed JSON"),
        new Case("an object, not an array", logon, replace("POST", DATA, 200, "{\"Pkcs7\": \"x\"}"), End.REFUSED,
            "not an array"),
        new Case("an empty array", logon, replace("POST", DATA, 200, "[]"), End.REFUSED, "nothing in the server's answer"),
        new Case("204 No Content", logon, replace("POST", DATA, 204, ""), End.REFUSED, "nothing in the server's answer"),
        new Case("neither PKCS#7 nor PFX", logon, item((i, a, f) -> i.put("isPkcs7", false)), End.REFUSED,
            "neither a PKCS#7 nor a PFX"),
        new Case("broken base64", logon, item((i, a, f) -> i.put("Pkcs7", "MIIB!!not*base64")), End.REFUSED,
            "not valid base64"),
        new Case("empty Pkcs7", logon, item((i, a, f) -> i.put("Pkcs7", "")), End.REFUSED, "is empty"),
        new Case("random bytes as PKCS#7", logon, item((i, a, f) -> i.put("Pkcs7", Forge.b64(new byte[300]))),
            End.REFUSED, "not a PKCS#7"),
        new Case("Error as text", logon, item((i, a, f) -> i.put("Error", "CA unavailable")), End.REFUSED,
            "server reports an error"),
        new Case("Error with terminal escapes", logon, item((i, a, f) -> i.put("Error",
            "\u001b[2J\u001b[31mcertificate installed\u009b0m\u202e")), End.REFUSED, "server reports an error"),
        new Case("deeply nested ASN.1 as PKCS#7 (20 KB)", logon, item((i, a, f) -> i.put("Pkcs7",
            Forge.b64(Forge.nestedSequences(5000)))), End.REFUSED, "nested deeper"),
        new Case("items that are strings", logon, replace("POST", DATA, 200, "[\"a\",\"b\"]"), End.REFUSED,
            "not a certificate item"),
        new Case("items that are numbers", logon, replace("POST", DATA, 200, "[1,2]"), End.REFUSED,
            "not a certificate item"),
        new Case("JSON nested 100,000 deep", logon, replace("POST", DATA, 200, "[".repeat(100_000)), End.REFUSED,
            "malformed JSON"),
        new Case("Error as object", logon, item((i, a, f) -> i.putObject("Error").put("Message", "no")),
            End.REFUSED, "server reports an error"),
        new Case("CMC status failed", logon, (cmc(2, "Denied", true)), End.REFUSED, "not a success: failed"),
        new Case("CMC status pending", logon, (cmc(3, "Taken Under Submission", true)), End.REFUSED,
            "not a success: pending"),
        new Case("issued-cert hash mismatch", logon, (cmc(0, "Issued", false)), End.REFUSED,
            "ISSUED_CERT_HASH does not match"),
        new Case("signature broken", logon, item((i, a, f) -> {
          byte[] p7 = Forge.pkcs7(i);
          p7[p7.length - 5] ^= 0x40;
          i.put("Pkcs7", Forge.b64(p7));
        }), End.REFUSED, "signature does not verify"),
        new Case("certificate for a key we do not hold", logon, leafFor((ours, f) -> List.of(
            f.issue(Forge.ecKey().getPublic()), f.caCert(), f.root())), End.REFUSED, "does not hold"),
        new Case("a chain that does not chain", logon, leafFor((ours, f) -> {
          var root = Forge.ecKey();
          var issuing = Forge.ecKey();
          X509Certificate rootCert = Forge.cert(root.getPublic(), "CN=Stranger Root", true, DAY_AGO, LATER, null,
              root.getPrivate());
          X509Certificate issuingCert = Forge.cert(issuing.getPublic(), "CN=Stranger Issuing", true, DAY_AGO, LATER,
              rootCert, root.getPrivate());
          // the leaf's issuer is missing: the root in the answer signed nothing in it
          return List.of(Forge.cert(ours.getPublicKey(), "CN=leaf", false, DAY_AGO, LATER, issuingCert,
              issuing.getPrivate()), rootCert);
        }), End.REFUSED, "does not chain"),
        new Case("a stray certificate", logon, leafFor((ours, f) -> {
          var stranger = Forge.ecKey();
          return List.of(ours, f.caCert(), f.root(), Forge.cert(stranger.getPublic(), "CN=Stray", true, DAY_AGO,
              LATER, null, stranger.getPrivate()));
        }), End.REFUSED, "outside the chain"),
        new Case("an expired certificate", logon, leafFor((ours, f) -> List.of(f.issue(ours.getPublicKey(),
            "CN=expired", false, NOW.minus(Duration.ofDays(60)), DAY_AGO), f.caCert(), f.root())), End.REFUSED,
            "expired"),
        new Case("a certificate not yet valid", logon, leafFor((ours, f) -> List.of(f.issue(ours.getPublicKey(),
            "CN=future", false, NOW.plus(Duration.ofDays(5)), LATER), f.caCert(), f.root())), End.REFUSED,
            "not valid before"),
        new Case("our key in a CA certificate", logon, leafFor((ours, f) -> List.of(f.issue(ours.getPublicKey(),
            "CN=sneaky CA", true, DAY_AGO, LATER), f.caCert(), f.root())), End.REFUSED, "is a CA certificate"),
        new Case("two certificates for our key", logon, leafFor((ours, f) -> List.of(ours, f.issue(ours.getPublicKey()),
            f.caCert(), f.root())), End.REFUSED, "claim the same key"),
        new Case("signed by a non-CA", logon, leafFor((ours, f) -> {
          var mid = Forge.ecKey();
          X509Certificate notCa = f.issue(mid.getPublic(), "CN=not a CA", false, DAY_AGO, LATER);
          return List.of(Forge.cert(ours.getPublicKey(), "CN=leaf", false, DAY_AGO, LATER, notCa, mid.getPrivate()),
              notCa, f.caCert(), f.root());
        }), End.REFUSED, "not a CA certificate"),
        new Case("the same certificate twice (duplicate item)", logon, item((i, a, f) -> a.add(i.deepCopy())),
            End.PARTIAL, "a second certificate for the same key"),
        new Case("an extra item for a stranger's key", logon, item((i, a, f) -> a.addObject().put("isPkcs7", true)
            .put("Pkcs7", Forge.b64(Forge.certsOnly(List.of(f.issue(Forge.ecKey().getPublic()), f.caCert(),
                f.root()))))), End.PARTIAL, "does not hold"),
        new Case("an extra PFX item that does not open", logon, item((i, a, f) -> a.addObject().put("isPfx", true)
            .put("Pfx", Forge.b64(new byte[64]))), End.PARTIAL, "PFX cannot be"),
        new Case("a huge answer", logon, (f, g) -> f.replaceResponse("POST", DATA, 1, 200, "application/json",
            new byte[5 * 1024 * 1024]), End.REFUSED, "larger than"),
        new Case("403 on certificatedata", logon, replace("POST", DATA, 403, "{\"Message\":\"Access denied.\"}"),
            End.REFUSED, "refused: 403: Access denied."),
        new Case("404 on the generation options", logon, replace("GET", "/certificaterequestgenerationoptions$", 404,
            "{\"Message\":\"No such request.\"}"), End.REFUSED, "refused: 404"),
        new Case("options ask for DSA", logon, transform("GET", "/certificaterequestgenerationoptions$",
            b -> new String(b, StandardCharsets.UTF_8).replace("\"RSA\"", "\"DSA\"").getBytes(StandardCharsets.UTF_8)),
            End.REFUSED, "cannot make"),
        new Case("options ask for RSA-1024", logon, transform("GET", "/certificaterequestgenerationoptions$",
            b -> new String(b, StandardCharsets.UTF_8).replace("2048", "1024").getBytes(StandardCharsets.UTF_8)),
            End.REFUSED, "cannot generate"),
        new Case("201 without a GUID", logon, replace("POST", "/requests$", 201, "\"api/v1.0/requests/banana\""),
            End.ERROR, "does not end in a GUID"),
        new Case("malformed request status", logon, replace("GET", "/requests/[0-9a-f-]+$", 200, "{\"Status\": [}"),
            End.ERROR, "malformed JSON"),
        new Case("request Failed on the server", logon, transform("GET", "/requests/[0-9a-f-]+$",
            b -> new String(b, StandardCharsets.UTF_8).replaceAll("\"Status\"\\s*:\\s*3", "\"Status\":5")
                .getBytes(StandardCharsets.UTF_8)), End.ERROR, "is Failed on the server"),
        new Case("500 once on certificatedata", logon, replace("POST", DATA, 500, "{\"Message\":\"boom\"}"),
            End.COMPLETED, null),
        new Case("connection reset on certificatedata", logon, (f, g) -> f.dropConnection("POST", DATA, 1),
            End.COMPLETED, null),
        new Case("connection reset on create", logon, (f, g) -> f.dropConnection("POST", "/requests$", 1),
            End.COMPLETED, null),
        new Case("503 twice on the status", logon, (f, g) -> f.replaceResponse("GET", "/requests/[0-9a-f-]+$", 2, 503,
            "application/json", "{}".getBytes()), End.COMPLETED, null),
        new Case("slow status answer", logon, (f, g) -> f.delay("GET", "/requests/[0-9a-f-]+$", 1,
            Duration.ofSeconds(3)), End.COMPLETED, null),
        new Case("server down for good", logon, (f, g) -> f.replaceResponse("GET", "/requests/[0-9a-f-]+$", 1000, 503,
            "application/json", "{}".getBytes()), End.STUCK, "unreachable"));
  }

  @TestFactory
  Stream<DynamicTest> everyHostileAnswer_isRefusedClearly_andTheTokenIsLeftAsItWas() {
    List<Case> all = cases();
    assertTrue(all.size() >= 30, "the corpus has at least 30 cases");
    return all.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  private void run(Case c) throws Exception {
    base.server.faults().clear();
    try (Stack s = base.fresh("hostile")) {
      c.arm().on(s.server.faults(), forge);
      Cli run = s.enroll(c.template(), "--retries", "3", "--retry-delay", "10", "--timeout", "1");
      String said = run.out() + run.err();
      assertFalse(said.chars().anyMatch(ch -> ch == 0x1b || ch == 0x9b || ch == 0x202e),
          c.name() + ": a control character from the server reached the terminal\n" + run);
      Enrollment e = new FileJournal(s.state.resolve("enrollments")).all().get(0);
      switch (c.end()) {
        case COMPLETED -> {
          assertEquals(0, run.exitCode(), run.toString());
          assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size());
        }
        case PARTIAL -> {
          assertEquals(0, run.exitCode(), run.toString());
          assertTrue(said.contains(c.message()), c.name() + ": expected '" + c.message() + "' in\n" + run);
          assertEquals(1, s.objects(ObjectClass.PRIVATE_KEY).size(), "only the good item's key stays");
          assertEquals(1, s.objects(ObjectClass.CERTIFICATE).stream()
              .filter(o -> o.category() == CertificateCategory.USER).count());
        }
        case REFUSED, ERROR -> {
          assertNotEquals(0, run.exitCode(), run.toString());
          assertTrue(said.contains(c.message()), c.name() + ": expected '" + c.message() + "' in\n" + run);
          assertTrue(s.objects().isEmpty(), c.name() + ": the token is unchanged, but holds " + s.objects());
          if (c.end() == End.REFUSED) {
            assertEquals("ABANDONED", e.state.name(), c.name() + "\n" + run);
          }
        }
        case STUCK -> {
          assertEquals(ExitCodes.UNEXPECTED_STATE, run.exitCode(), run.toString());
          assertTrue(said.contains(c.message()), run.toString());
          assertNotNull(e.stuck, "status shows the enrollment as stuck");
          s.server.faults().clear();
          Cli resumed = s.cli("resume", e.id.value());
          assertEquals(0, resumed.exitCode(), "after the outage, resume completes\n" + resumed);
        }
      }
      for (var r : s.server.admin().requests()) {
        assertFalse(r.status().equals("Executing"), c.name() + ": request " + r.uuid() + " left Executing");
      }
    } finally {
      base.server.faults().clear();
    }
  }
}
