package io.tokenroll.agent.enroll;

/**
 * The states of one enrollment, journaled before every side effect. Names follow one grammar: {@code NEED_X} is
 * stable (the next step starts X), {@code X_ING} is in flight (its effect may or may not have happened), an
 * {@code _UNCERTAIN} state asks the server what happened before doing anything again, and the rest are parked or
 * final. {@link #onRestart()} says where an interrupted run picks up.
 */
public enum EnrollmentState {
  /** Intent recorded; nothing sent yet. */
  NEW,
  /** POST requests in flight; the request carries this enrollment's id in its comment. */
  CREATING_REQUEST,
  /** A request may exist on the server: find it by our id before creating one. */
  REQUEST_UNCERTAIN,
  /** The server has our request; read its status. */
  REQUESTED,
  /** Parked: the request waits for approval on the server. */
  PENDING_APPROVAL,
  /** The request is approved; bind the card (smart-card templates) or go on. */
  APPROVED,
  /** POST smartcards in flight. */
  BINDING_CARD,
  /** The card may be bound already: read the request before binding again. */
  CARD_UNCERTAIN,
  /** Ready to read the generation options, or to run a workflow that needs no keys (unblock, retire). */
  CARD_BOUND,
  /** The template's server proposes the user PIN: fetch it, hand it to the user, set it on the token. */
  NEED_PIN_CHANGE,
  /** C_SetPIN (or C_InitPIN) in flight: the token's PIN may be the old one or the server's. */
  CHANGING_PIN,
  /** Find out which PIN the token has, with one login with the old one, before changing it again. */
  PIN_UNCERTAIN,
  /** Options journaled; keys to generate, then CSRs to build. */
  NEED_KEYS,
  /** C_GenerateKeyPair in flight for a key whose provisional id is journaled. */
  GENERATING_KEY,
  /** CSRs journaled; submit them. */
  NEED_SUBMIT,
  /** POST certificatedata in flight. */
  SUBMITTING,
  /** The answer may be lost: ask the server whether the CSRs were taken before sending them again. */
  SUBMIT_UNCERTAIN,
  /** The server's answer is journaled; install it. */
  NEED_INSTALL,
  /** Writing to the token (idempotent: it checks what is already there). */
  INSTALLING,
  /** Tell the server the request is done (PUT Completed). */
  NEED_COMPLETE,
  /** Done. */
  COMPLETED,
  /** Give up cleanly: PUT Abandoned and remove what this enrollment put on the token. */
  NEED_ABANDON,
  /** Given up cleanly. */
  ABANDONED,
  /** The server denied the request. */
  DENIED,
  /** The request was canceled on the server. */
  CANCELED;

  /** Where a run that found this state in the journal (after a crash or a kill) continues. */
  public EnrollmentState onRestart() {
    return switch (this) {
      case CREATING_REQUEST -> REQUEST_UNCERTAIN;
      case BINDING_CARD -> CARD_UNCERTAIN;
      case CHANGING_PIN -> PIN_UNCERTAIN;
      case GENERATING_KEY -> NEED_KEYS;
      case SUBMITTING -> SUBMIT_UNCERTAIN;
      case INSTALLING -> NEED_INSTALL;
      case NEW, REQUEST_UNCERTAIN, REQUESTED, PENDING_APPROVAL, APPROVED, CARD_UNCERTAIN, CARD_BOUND,
          NEED_PIN_CHANGE, PIN_UNCERTAIN, NEED_KEYS,
          NEED_SUBMIT, SUBMIT_UNCERTAIN, NEED_INSTALL, NEED_COMPLETE, COMPLETED, NEED_ABANDON, ABANDONED, DENIED,
          CANCELED -> this;
    };
  }

  /** Whether keys this enrollment made may be on the token: from planning the keys until they are installed. */
  public boolean keysMayExist() {
    return switch (this) {
      case CARD_BOUND, NEED_PIN_CHANGE, CHANGING_PIN, PIN_UNCERTAIN, NEED_KEYS, GENERATING_KEY, NEED_SUBMIT,
          SUBMITTING, SUBMIT_UNCERTAIN, NEED_INSTALL, INSTALLING -> true;
      case NEW, CREATING_REQUEST, REQUEST_UNCERTAIN, REQUESTED, PENDING_APPROVAL, APPROVED, BINDING_CARD,
          CARD_UNCERTAIN, NEED_COMPLETE, COMPLETED, NEED_ABANDON, ABANDONED, DENIED, CANCELED -> false;
    };
  }

  public boolean isFinal() {
    return this == COMPLETED || this == ABANDONED || this == DENIED || this == CANCELED;
  }

  /** In flight: the effect may have happened or not. */
  public boolean inFlight() {
    return onRestart() != this;
  }
}
