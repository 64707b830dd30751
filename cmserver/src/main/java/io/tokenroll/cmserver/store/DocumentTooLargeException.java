package io.tokenroll.cmserver.store;

/** A document whose stored form would not fit its column: the request that carried it is too large. */
public final class DocumentTooLargeException extends RuntimeException {
  public DocumentTooLargeException(String message) {
    super(message, null, false, false);
  }
}
