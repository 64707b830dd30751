package io.tokenroll.cmserver.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An HTTP answer before it is sent, so fault injection can replace or transform it: status, content type, body
 * and extra headers. A null body sends none (204, 401 probes).
 */
public record Response(int status, String contentType, byte[] body, Map<String, List<String>> headers) {
  public static final String JSON = "application/json; charset=utf-8";
  public static final String HTML = "text/html; charset=utf-8";

  public Response {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public static Response json(int status, Object value) {
    return new Response(status, JSON, Json.write(value), Map.of());
  }

  public static Response noContent() {
    return new Response(204, null, null, Map.of());
  }

  public static Response html(int status, String html) {
    return new Response(status, HTML, html.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static Response bytes(int status, String contentType, byte[] body) {
    return new Response(status, contentType, body, Map.of());
  }

  /** Adds a header; a second value of the same name is a second header line (WWW-Authenticate per scheme). */
  public Response withHeader(String name, String value) {
    var h = new java.util.LinkedHashMap<>(headers);
    h.merge(name, List.of(value), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
    return new Response(status, contentType, body, h);
  }

  public Response withBody(byte[] newBody) {
    return new Response(status, contentType, newBody, headers);
  }
}
