package io.tokenroll.agent.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.enroll.KeyPlan;
import io.tokenroll.agent.enroll.ServerProtocol;
import io.tokenroll.agent.enroll.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
  @TempDir
  Path dir;

  @Test
  void store_thenFind_roundTripsAndIsPrivate() throws Exception {
    FileJournal j = new FileJournal(dir.resolve("enrollments"));
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    e.template = "Smart Card Logon";
    e.state = EnrollmentState.NEED_KEYS;
    KeyPlan k = new KeyPlan();
    k.keySpec = "EC-P256";
    k.provisionalId = "7472aa";
    e.keys.add(k);
    j.store(e);
    Enrollment back = j.get(e.id).orElseThrow();
    assertEquals(EnrollmentState.NEED_KEYS, back.state);
    assertEquals("7472aa", back.keys.get(0).provisionalId);
    assertEquals(e.created, back.created);
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("enrollments").resolve(e.id + ".json"))));
    assertEquals(e.id, j.find(e.id.value().substring(0, 20)).orElseThrow().id, "a unique prefix finds it");
  }

  @Test
  void leftoverTmpFilesAndUnknownFields_areIgnored() throws Exception {
    FileJournal j = new FileJournal(dir);
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    j.store(e);
    Files.writeString(dir.resolve("half-written.json.tmp"), "{\"id\": \"half");
    String json = Files.readString(dir.resolve(e.id + ".json"));
    Files.writeString(dir.resolve(e.id + ".json"), json.replaceFirst("\\{", "{\"fieldFromTheFuture\": 1,"));
    assertEquals(1, j.all().size());
    assertEquals(e.id, j.all().get(0).id);
  }

  @Test
  void theLogin_roundTrips_andAnOlderJournalsBasicUserBecomesALogin() throws Exception {
    FileJournal j = new FileJournal(dir);
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    e.login = io.tokenroll.agent.login.ServerLogin.negotiate("/etc/krb5.keytab", "host/ws1@EXAMPLE.TEST", null, true);
    j.store(e);
    assertEquals(e.login, j.get(e.id).orElseThrow().login);
    String json = Files.readString(dir.resolve(e.id + ".json"));
    assertFalse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).has("user"),
        "written in the new form only");
    // before ServerLogin, a Basic login was two top-level fields, in either order
    for (String old : new String[] {"\"user\": \"alice\", \"passwordSource\": \"file:/p\"",
        "\"passwordSource\": \"file:/p\", \"user\": \"alice\""}) {
      Files.writeString(dir.resolve(e.id + ".json"), json.replaceFirst("\"login\"\\s*:\\s*\\{[^}]*\\}", old));
      assertEquals(io.tokenroll.agent.login.ServerLogin.basic("alice", "file:/p"), j.get(e.id).orElseThrow().login, old);
    }
  }

  @Test
  void aBrokenFile_isReportedByName() throws Exception {
    FileJournal j = new FileJournal(dir);
    Files.writeString(dir.resolve("broken.json"), "{not json");
    assertTrue(j.all().isEmpty(), "left out of the enrollments");
    assertTrue(j.list().unreadable().get(0).contains("broken.json"), j.list().unreadable().toString());
    var ex = assertThrows(java.io.IOException.class, () -> j.get(new io.tokenroll.agent.enroll.EnrollmentId("broken")));
    assertTrue(ex.getMessage().contains("broken.json"), ex.getMessage());
  }

  /** Workflow and protocol are typed in memory; on disk they keep the names every journal already holds. */
  @Test
  void workflowAndProtocol_keepTheirJournalNames_andAnUnknownOneIsNotRead() throws Exception {
    FileJournal j = new FileJournal(dir);
    Enrollment e = Enrollment.create(Workflow.UNBLOCK);
    e.protocol = ServerProtocol.CERTSRV;
    j.store(e);
    String json = Files.readString(dir.resolve(e.id + ".json"));
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    assertEquals("Unblock", tree.get("workflow").asText());
    assertEquals("certsrv", tree.get("protocol").asText());
    Enrollment back = j.get(e.id).orElseThrow();
    assertEquals(Workflow.UNBLOCK, back.workflow);
    assertEquals(ServerProtocol.CERTSRV, back.protocol);
    Files.writeString(dir.resolve(e.id + ".json"), json.replace("\"Unblock\"", "\"Reinstate\""));
    var ex = assertThrows(java.io.IOException.class, () -> j.get(e.id));
    assertTrue(ex.getMessage().contains(e.id.value()), ex.getMessage());
    assertTrue(j.list().unreadable().get(0).contains(e.id.value()), j.list().unreadable().toString());
  }

  /** The id names files: one that is not a plain name is not read, and a user's text is never a path. */
  @Test
  void anIdThatIsAPath_isNotRead_andFindNeverResolvesAPath() throws Exception {
    FileJournal j = new FileJournal(dir.resolve("enrollments"));
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    j.store(e);
    Path file = dir.resolve("enrollments").resolve(e.id + ".json");
    Files.writeString(file, Files.readString(file).replace(e.id.value(), "../../escaped"));
    var ex = assertThrows(java.io.IOException.class, () -> j.get(e.id));
    assertTrue(ex.getMessage().contains(file.getFileName().toString()), ex.getMessage());
    Files.writeString(dir.resolve("outside.json"), "{}");
    assertTrue(j.find("../outside").isEmpty(), "a path is a prefix to match, never a file to open");
    assertThrows(IllegalArgumentException.class, () -> new io.tokenroll.agent.enroll.EnrollmentId("a/b"));
  }

  /** What is not a regular file in the journal's directory is named unreadable, never read: no hang, no device. */
  @Test
  void aFifoOrALinkInTheJournal_isNamed_notRead() throws Exception {
    FileJournal j = new FileJournal(dir.resolve("enrollments"));
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    j.store(e);
    Path fifo = dir.resolve("enrollments").resolve("fifo.json");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Files.createSymbolicLink(dir.resolve("enrollments").resolve("zero.json"), Path.of("/dev/zero"));
    FileJournal.Listing listing = j.list(); // a FIFO read would block for ever; /dev/zero would never end
    assertEquals(java.util.List.of(e.id), listing.enrollments().stream().map(x -> x.id).toList());
    assertEquals(2, listing.unreadable().size(), listing.unreadable().toString());
    assertTrue(listing.unreadable().stream().allMatch(m -> m.contains("not a regular file")), listing.toString());
  }

  /** A copy of an entry under another name is not a second enrollment with the same id: it is named, not read. */
  @Test
  void anEntryUnderAnotherFileName_isNamedUnreadable_notRunTwice() throws Exception {
    FileJournal j = new FileJournal(dir.resolve("enrollments"));
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    j.store(e);
    Path copy = dir.resolve("enrollments").resolve("copy-of-it.json");
    Files.copy(dir.resolve("enrollments").resolve(e.id + ".json"), copy);
    FileJournal.Listing listing = j.list();
    assertEquals(java.util.List.of(e.id), listing.enrollments().stream().map(x -> x.id).toList());
    assertEquals(1, listing.unreadable().size(), listing.toString());
    assertTrue(listing.unreadable().get(0).contains("copy-of-it.json")
        && listing.unreadable().get(0).contains(e.id + ".json"), listing.toString());
  }

  /** A state directory that is a file is said to be one, not only named (the JDK's exception is the bare path). */
  @Test
  void aStateDirectoryThatIsAFile_isSaidToBeOne() throws Exception {
    Path file = Files.writeString(dir.resolve("state"), "");
    var ex = assertThrows(java.io.IOException.class, () -> new FileJournal(file.resolve("enrollments")));
    assertEquals(file + " is not a directory (a file is in the way)", ex.getMessage());
  }

  /**
   * The token is journaled as one reference; a format-1 entry's four loose fields (whatever their order) are read
   * into it, and it is written back in the current format. A provider's name stays a name, not a path.
   */
  @Test
  void theTokenReference_roundTrips_andAFormat1EntryIsReadIntoIt() throws Exception {
    FileJournal j = new FileJournal(dir.resolve("enrollments"));
    Enrollment piv = Enrollment.create(Workflow.ENROLL);
    piv.token = new io.tokenroll.pkcs11.TokenRef(Path.of("piv"), null, "PIV_II", "00ff");
    j.store(piv);
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        dir.resolve("enrollments").resolve(piv.id + ".json").toFile());
    assertEquals("piv", tree.get("token").get("module").asText());
    assertEquals(piv.token, j.get(piv.id).orElseThrow().token);

    Enrollment old = Enrollment.create(Workflow.ENROLL);
    j.store(old);
    Path file = dir.resolve("enrollments").resolve(old.id + ".json");
    var node = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(file.toFile());
    node.remove("token");
    node.put("formatVersion", 1);
    node.put("tokenSerial", "0011"); // before the library: the order of a file is not the order of the fields
    node.put("library", "/usr/lib/softhsm/libsofthsm2.so");
    node.put("tokenLabel", "alice");
    node.put("moduleArgs", "slot=2");
    Files.writeString(file, node.toString());
    Enrollment read = j.get(old.id).orElseThrow();
    assertEquals(new io.tokenroll.pkcs11.TokenRef(Path.of("/usr/lib/softhsm/libsofthsm2.so"), "slot=2", "alice",
        "0011"), read.token);
    j.store(read);
    var back = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
    assertEquals(Enrollment.FORMAT, back.get("formatVersion").asInt());
    assertEquals("alice", back.get("token").get("label").asText(), back.toString());
    // the loose fields are written too, for a format-1 tokenroll after a downgrade (it would see no token)
    assertEquals("alice", back.get("tokenLabel").asText());
    assertEquals("/usr/lib/softhsm/libsofthsm2.so", back.get("library").asText());
  }

  /** Beside a token reference the loose fields count for nothing, wherever they are in the file. */
  @Test
  void looseFieldsBesideAReference_countForNothing() throws Exception {
    FileJournal j = new FileJournal(dir.resolve("enrollments"));
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    e.token = new io.tokenroll.pkcs11.TokenRef(Path.of("/usr/lib/softhsm/libsofthsm2.so"), null, "alice", "0011");
    j.store(e);
    Path file = dir.resolve("enrollments").resolve(e.id + ".json");
    var node = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(file.toFile());
    var token = node.remove("token");
    node.put("tokenLabel", "mallory");
    node.put("library", "/tmp/other.so");
    node.set("token", token); // after the loose fields
    Files.writeString(file, node.toString());
    assertEquals(e.token, j.get(e.id).orElseThrow().token);
  }

  /** An entry of a later format is not read, and so never rewritten without what this version does not know. */
  @Test
  void anEntryOfALaterFormat_isNotRead() throws Exception {
    FileJournal j = new FileJournal(dir.resolve("enrollments"));
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    j.store(e);
    Path file = dir.resolve("enrollments").resolve(e.id + ".json");
    String later = Files.readString(file).replace("\"formatVersion\" : " + Enrollment.FORMAT,
        "\"formatVersion\" : " + (Enrollment.FORMAT + 1));
    Files.writeString(file, later);
    var ex = assertThrows(java.io.IOException.class, () -> j.get(e.id));
    assertTrue(ex.getMessage().contains("newer tokenroll"), ex.getMessage());
    assertTrue(j.all().isEmpty());
    assertEquals(later, Files.readString(file));
  }

  /**
   * Two stores of one entry at once (the agent dating it while a CLI renewal supersedes it) never fail nor leave the
   * file half-written for a reader: each writes a temporary file of its own (review: with one shared name, readers
   * met empty files and a thousand stores failed in 5 s).
   */
  @Test
  void twoStoresOfOneEntryAtOnce_neverLeaveItUnreadable() throws Exception {
    FileJournal j = new FileJournal(dir.resolve("enrollments"));
    Enrollment e = Enrollment.create(Workflow.ENROLL);
    j.store(e);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      long until = System.nanoTime() + 1_000_000_000L;
      var writers = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      for (int w = 0; w < 2; w++) {
        writers.add(pool.submit(() -> {
          Enrollment mine = j.get(e.id).orElseThrow();
          int n = 0;
          while (System.nanoTime() < until) {
            j.store(mine);
            n++;
          }
          return n;
        }));
      }
      var reader = pool.submit(() -> {
        java.util.List<String> seen = new java.util.ArrayList<>();
        while (System.nanoTime() < until) {
          seen.addAll(j.list().unreadable());
        }
        return seen;
      });
      for (var w : writers) {
        assertTrue(w.get() > 0);
      }
      assertEquals(java.util.List.of(), reader.get());
      assertEquals(1, j.all().size());
    } finally {
      pool.shutdownNow();
    }
  }
}
