package io.tokenroll.cmserver.http;

import io.tokenroll.cmserver.UserAccount;
import java.util.Map;

/**
 * A received request: method, decoded path, query parameters (names lower-cased, since IIS and ASP.NET match
 * them case-insensitively), form fields, body, content type and the authenticated user (null before
 * authentication). Error answers quote a correlation id, which {@link Front} makes only when one is needed.
 */
public record Request(String method, String path, Map<String, String> query, Map<String, String> form,
    byte[] body, String contentType, UserAccount user) {

  public String query(String name) {
    return query.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  public Request withUser(UserAccount authenticated) {
    return new Request(method, path, query, form, body, contentType, authenticated);
  }
}
