package io.tokenroll.agent.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalIndexTest {
  @TempDir
  Path dir;

  private static Enrollment enrollment(EnrollmentState state) {
    Enrollment e = Enrollment.create(io.tokenroll.agent.enroll.Workflow.ENROLL);
    e.template = "Smart Card Logon";
    e.state = state;
    return e;
  }

  /** Makes a journal file look written long ago, so the index may trust what it read. */
  private void settle(Enrollment e) throws Exception {
    Files.setLastModifiedTime(dir.resolve(e.id + ".json"), FileTime.from(Instant.now().minusSeconds(60)));
    Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minusSeconds(60)));
  }

  @Test
  void anUnchangedFile_isNotReadAgain_aChangedOneIs() throws Exception {
    FileJournal journal = new FileJournal(dir);
    JournalIndex index = new JournalIndex(journal);
    Enrollment a = enrollment(EnrollmentState.NEED_KEYS);
    Enrollment b = enrollment(EnrollmentState.NEED_KEYS);
    journal.store(a);
    journal.store(b);
    settle(a);
    settle(b);
    List<Enrollment> first = index.enrollments();
    List<Enrollment> second = index.enrollments();
    assertSame(first, second, "nothing was stored since: the directory is not even listed");
    assertEquals(2, second.size());
    for (int i = 0; i < 2; i++) {
      assertSame(first.get(i), second.get(i), "a settled, unchanged file is not parsed again");
    }

    b.state = EnrollmentState.COMPLETED;
    journal.store(b); // a new file renamed over the old one
    List<Enrollment> third = index.enrollments();
    assertEquals(EnrollmentState.COMPLETED, third.stream().filter(e -> e.id.equals(b.id)).findFirst()
        .orElseThrow().state);
    assertSame(first.stream().filter(e -> e.id.equals(a.id)).findFirst().orElseThrow(),
        third.stream().filter(e -> e.id.equals(a.id)).findFirst().orElseThrow());
  }

  @Test
  void aFileChangedWithinTheLastMoments_isReadAgain_evenWithTheSameAttributes() throws Exception {
    FileJournal journal = new FileJournal(dir);
    JournalIndex index = new JournalIndex(journal);
    Enrollment a = enrollment(EnrollmentState.NEED_KEYS);
    journal.store(a);
    Enrollment first = index.enrollments().get(0);
    assertNotSame(first, index.enrollments().get(0), "file times are coarse: a fresh file is not trusted");
  }

  @Test
  void removedAndUnreadableFiles_areLeftOut() throws Exception {
    FileJournal journal = new FileJournal(dir);
    JournalIndex index = new JournalIndex(journal);
    Enrollment a = enrollment(EnrollmentState.NEED_KEYS);
    Enrollment b = enrollment(EnrollmentState.NEED_KEYS);
    journal.store(a);
    journal.store(b);
    assertEquals(2, index.enrollments().size());
    Files.delete(dir.resolve(a.id + ".json"));
    Files.writeString(dir.resolve("damaged.json"), "{\"id\": ");
    List<Enrollment> left = index.enrollments();
    assertEquals(List.of(b.id), left.stream().map(e -> e.id).toList());
  }

  @Test
  void anEditInPlace_isSeen_onTheNextFullLook() throws Exception {
    FileJournal journal = new FileJournal(dir);
    JournalIndex index = new JournalIndex(journal);
    Enrollment a = enrollment(EnrollmentState.NEED_KEYS);
    journal.store(a);
    Path file = dir.resolve(a.id + ".json");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60))); // the directory is fresh
    index.enrollments();
    FileTime before = Files.getLastModifiedTime(file);
    Files.writeString(file, Files.readString(file).replace("Smart Card Logon", "Smart Card Logon EC")); // same inode
    Files.setLastModifiedTime(file, before); // even an edit that kept the old time: the size differs
    assertEquals("Smart Card Logon EC", index.enrollments().get(0).template);
  }
}
