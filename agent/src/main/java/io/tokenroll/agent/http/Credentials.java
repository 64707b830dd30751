package io.tokenroll.agent.http;

import java.net.URI;
import java.util.List;

/**
 * How the client proves who it is over HTTP: nothing (anonymous, or a TLS client certificate), HTTP Basic, a bearer
 * token (ADFS) or Negotiate (Kerberos). Each request begins an {@link Attempt}: the header to send and, for schemes
 * where the server proves itself too, the check of its answer.
 */
public interface Credentials {
  Credentials NONE = new Credentials() {
    @Override
    public Attempt begin(URI target) {
      return Attempt.NONE;
    }

    @Override
    public String refusalHint() {
      return "the server wants credentials: give --user, --client-cert, --auth negotiate or --auth bearer";
    }

    @Override
    public String toString() {
      return "no credentials";
    }
  };

  /** Authentication of one request to {@code target}. */
  Attempt begin(URI target) throws ServerException;

  /** What to check when the server answers 401 to these credentials. */
  String refusalHint();

  /** One request's authentication; closed when the exchange ends, however it ends. */
  interface Attempt extends AutoCloseable {
    Attempt NONE = () -> null;

    /** The Authorization header value, or null to send none. */
    String authorization();

    /**
     * Checks an answer that will be acted on (every status but 401 and 5xx), given its {@code WWW-Authenticate}
     * values: Negotiate refuses an answer from a server that did not prove it holds the service's key.
     */
    default void verify(List<String> wwwAuthenticate) throws ServerException {
    }

    @Override
    default void close() {
    }
  }

  /** HTTP Basic; the password array is wiped once the header is built. */
  static Credentials basic(String user, char[] password) {
    return BasicCredentials.of(user, password);
  }

  /** A bearer token (an ADFS access token), sent as given; the array is wiped. */
  static Credentials bearer(char[] token) {
    return BearerCredentials.of(token);
  }
}
