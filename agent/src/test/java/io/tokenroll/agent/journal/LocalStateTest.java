package io.tokenroll.agent.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile-test findings 4, 6 and 11 on the agent's side: who can read or block its state, and what it leaves. */
class LocalStateTest {
  @TempDir
  Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aStateDirectoryThatExists_isMadePrivate() throws Exception {
    Path state = Files.createDirectory(tmp.resolve("state"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path enrollments = Files.createDirectory(state.resolve("enrollments"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    new FileJournal(enrollments);
    assertEquals("rwx------", mode(state));
    assertEquals("rwx------", mode(enrollments));
  }

  /** A state directory with other things in it (a home directory given by mistake) keeps its mode. */
  @Test
  void aSharedDirectoryGivenAsStateDirectory_keepsItsMode_theJournalIsPrivateAnyway() throws Exception {
    Path home = Files.createDirectory(tmp.resolve("home"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.writeString(home.resolve(".profile"), "x");
    new FileJournal(home.resolve("enrollments"));
    assertEquals("rwxr-xr-x", mode(home));
    assertEquals("rwx------", mode(home.resolve("enrollments")));
  }

  @Test
  void lockFiles_areTheUsersAlone() throws Exception {
    Path locks = tmp.resolve("run").resolve("locks");
    try (TokenLock l = TokenLock.acquire(locks, "/lib/x.so", "card", "0001")) {
      assertEquals("rwx------", mode(locks));
      try (var files = Files.list(locks)) {
        Path f = files.findFirst().orElseThrow();
        assertEquals("rw-------", mode(f));
        assertEquals(String.valueOf(ProcessHandle.current().pid()), Files.readString(f).strip(), "the holder");
      }
    }
  }

  /** A lock held by someone who never lets go no longer blocks forever: the wait ends, naming the holder. */
  @Test
  void aLockHeldTooLong_endsTheWait_namingTheHolder() throws Exception {
    Path locks = tmp.resolve("locks");
    try (TokenLock held = TokenLock.acquire(locks, "/lib/x.so", "card", "0001")) {
      var e = assertThrows(java.io.IOException.class,
          () -> TokenLock.acquire(locks, "/lib/x.so", "card", "0001", Duration.ofMillis(300)));
      assertTrue(e.getMessage().contains("stayed locked by another process (process "
          + ProcessHandle.current().pid() + ")"), e.getMessage());
      assertTrue(e.getMessage().contains("Nothing was written"), e.getMessage());
    }
    try (TokenLock again = TokenLock.acquire(locks, "/lib/x.so", "card", "0001", Duration.ofSeconds(30))) {
      assertNotNull(again, "free again once the holder let go");
    }
  }

  @Test
  void theClaimOfAFinishedEnrollment_leavesNoFile() throws Exception {
    FileJournal j = new FileJournal(tmp.resolve("enrollments"));
    Enrollment e = Enrollment.create(io.tokenroll.agent.enroll.Workflow.ENROLL);
    j.store(e);
    Path claims = tmp.resolve("enrollments").resolve("claims");
    try (EnrollmentClaim c = j.claim(e.id).orElseThrow()) {
      assertEquals("rw-------", mode(claims.resolve(e.id + ".lock")));
    }
    assertTrue(Files.exists(claims.resolve(e.id + ".lock")), "kept while the enrollment goes on");
    try (EnrollmentClaim c = j.claim(e.id).orElseThrow()) {
      e.state = EnrollmentState.COMPLETED;
      j.store(e);
      c.removeOnClose();
    }
    try (var left = Files.list(claims)) {
      assertEquals(0, left.count(), "no claim file outlives its enrollment");
    }
  }

  /** A damaged journal file must not hide or stop the others. */
  @Test
  void aDamagedJournalFile_isNamed_andTheOthersAreRead() throws Exception {
    FileJournal j = new FileJournal(tmp.resolve("enrollments"));
    Enrollment e = Enrollment.create(io.tokenroll.agent.enroll.Workflow.ENROLL);
    j.store(e);
    Path dir = tmp.resolve("enrollments");
    Files.writeString(dir.resolve("broken.json"), "{\"id\": \"x\", \"state\": ");
    Files.writeString(dir.resolve("wrongstate.json"), "{\"id\": \"y\", \"state\": \"EXPLODED\"}");
    Files.writeString(dir.resolve("empty.json"), "");
    Files.writeString(dir.resolve("deep.json"), "[".repeat(100_000));
    FileJournal.Listing l = j.list();
    assertEquals(1, l.enrollments().size());
    assertEquals(e.id, l.enrollments().get(0).id);
    assertEquals(4, l.unreadable().size(), l.unreadable().toString());
    assertTrue(l.unreadable().stream().allMatch(s -> s.contains("is unreadable")), l.unreadable().toString());
  }

  /**
   * Workers that make the same private directory at once (provision's first claims) all get it: another one making
   * it in between is not "a file in the way" (the provision benchmark met that race).
   */
  @Test
  void manyThreadsMakingOneDirectory_allGetIt() throws Exception {
    for (int round = 0; round < 50; round++) {
      Path dir = tmp.resolve("race-" + round).resolve("claims");
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
      var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        var made = new java.util.ArrayList<java.util.concurrent.Future<Path>>();
        for (int i = 0; i < 8; i++) {
          made.add(pool.submit(() -> {
            start.await();
            return PrivateDirectory.ensure(dir);
          }));
        }
        for (var f : made) {
          assertEquals(dir, f.get(), "round " + round);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
