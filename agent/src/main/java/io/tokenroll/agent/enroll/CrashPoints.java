package io.tokenroll.agent.enroll;

/**
 * A test seam for the crash tests: with {@code TOKENROLL_DEBUG_HALT=<STATE>} the process stops dead (it prints a
 * marker and sleeps until killed) right after journaling that state, before the side effect the state announces;
 * with {@code <STATE>:done} it stops right after that effect, before its result is journaled. Unset in normal use.
 */
final class CrashPoints {
  private static final String HALT = System.getenv("TOKENROLL_DEBUG_HALT");

  private CrashPoints() {
  }

  static void journaled(EnrollmentState state) {
    halt(state.name());
  }

  static void effectDone(EnrollmentState state) {
    halt(state.name() + ":done");
  }

  private static void halt(String point) {
    if (HALT != null && HALT.equals(point)) {
      System.err.println("tokenroll: halted at " + point + " (TOKENROLL_DEBUG_HALT)");
      System.err.flush();
      while (true) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          Runtime.getRuntime().halt(137);
        }
      }
    }
  }
}
