package io.tokenroll.cmserver.http;

/**
 * One of the sites the server hosts (the CM REST API, /certsrv, the admin path): its path prefix, who may call it,
 * how it handles a request and how it renders errors.
 */
public interface Application {
  /** Who authenticates to an application. */
  enum Audience {
    /** Configured users, by HTTP Basic or TLS client certificate. */
    USERS,
    /** The generated admin credential only. */
    ADMIN
  }

  /** The lower-case path prefix it owns, e.g. {@code /certificatemanagement/}. */
  String prefix();

  Audience audience();

  /** The Basic realm named in 401 challenges. */
  String realm();

  /** Answers an authenticated request; may throw {@link HttpError}. */
  Response handle(Request request) throws Exception;

  /** The body of an error answer, in the application's own format. */
  Response error(int status, String message, String correlationId);

  /** Whether the unauthenticated request may pass (e.g. nothing): the default is no. */
  default boolean anonymousAllowed(Request request) {
    return false;
  }
}
