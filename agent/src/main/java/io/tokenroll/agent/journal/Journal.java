package io.tokenroll.agent.journal;

import io.tokenroll.agent.enroll.Enrollment;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where enrollments live between steps, runs and crashes. A store is atomic and durable before it returns. */
public interface Journal {
  void store(Enrollment enrollment) throws IOException;

  /** By full id or an unambiguous prefix of it. */
  Optional<Enrollment> find(String idOrPrefix) throws IOException;

  List<Enrollment> all() throws IOException;
}
