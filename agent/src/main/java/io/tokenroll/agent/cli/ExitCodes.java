package io.tokenroll.agent.cli;

/** tokenroll's exit codes, defined once. Scripts may rely on them; docs/agent.md lists them. */
public final class ExitCodes {
  public static final int OK = 0;
  /** A step failed (token, server, network); the message says which. */
  public static final int FAILED = 1;
  /** The command line or an input file is wrong. */
  public static final int INVALID_INPUT = 2;
  /** The work cannot go on now: waiting for approval, stuck after retries, denied. */
  public static final int UNEXPECTED_STATE = 3;
  /** A bug in tokenroll. */
  public static final int INTERNAL = 4;
  public static final int PIN_INCORRECT = 10;
  public static final int PIN_LOCKED = 11;
  public static final int TOKEN_NOT_FOUND = 12;
  public static final int UNSUPPORTED_BY_TOKEN = 13;
  public static final int MODULE_NOT_LOADED = 14;

  private ExitCodes() {
  }
}
