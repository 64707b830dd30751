package io.tokenroll.cmserver.http;

import io.tokenroll.cmserver.UserAccount;
import java.util.Map;

/**
 * A received request: method, decoded path, query parameters (names lower-cased, since IIS and ASP.NET match
 * them case-insensitively), body, the authenticated user (null before authentication) and the correlation id
 * that error messages quote.
 */
public record Request(String method, String path, Map<String, String> query, Map<String, String> form,
    byte[] body, String contentType, UserAccount user, String correlationId) {

  public String query(String name) {
    return query.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  public Request withUser(UserAccount authenticated) {
    return new Request(method, path, query, form, body, contentType, authenticated, correlationId);
  }
}
