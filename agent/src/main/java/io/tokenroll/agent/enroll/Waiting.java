package io.tokenroll.agent.enroll;

/**
 * What a parked enrollment waits for, journaled so that {@code status} (and the agent's scheduler) can say it and
 * act on it: an outside event ends each wait, never a timer alone.
 */
public enum Waiting {
  /** The request waits for a CM manager's approval, or a CA's (taken under submission). */
  APPROVAL,
  /** The token is not present (a card removed, a reader unplugged): it goes on when the token is back. */
  TOKEN_ABSENT,
  /** The PIN cannot be had now (no terminal, an unset variable, a missing file): it goes on when one can. */
  PIN_NEEDED
}
