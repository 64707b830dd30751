package io.tokenroll.agent.journal;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentId;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where enrollments live between steps, runs and crashes. A store is atomic and durable before it returns. */
public interface Journal {
  void store(Enrollment enrollment) throws IOException;

  /** By full id or an unambiguous prefix of it (a prefix reads every entry: for what a user typed). */
  Optional<Enrollment> find(String idOrPrefix) throws IOException;

  /** By full id only: one file read, whatever the journal's size. */
  Optional<Enrollment> get(EnrollmentId id) throws IOException;

  List<Enrollment> all() throws IOException;
}
