package io.tokenroll.cmserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON as MIM writes and reads it: responses in .NET PascalCase (record components {@code uuid} → {@code Uuid};
 * the few camel-case exceptions carry {@code @JsonProperty}); request properties matched case-insensitively, as
 * ASP.NET model binding does.
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
      .build();

  private Json() {
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a request body; malformed JSON is the client's error, as ASP.NET reports it. */
  public static JsonNode read(byte[] body) {
    if (body == null || body.length == 0) {
      throw HttpError.badRequest("The request is invalid. The request body is empty.");
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw HttpError.badRequest("The request is invalid. The request body is empty.");
      }
      return node;
    } catch (IOException e) {
      throw HttpError.badRequest("The request is invalid. The request body is not valid JSON.");
    }
  }

  /** The property {@code name} of an object, matched case-insensitively; null when absent or JSON null. */
  public static JsonNode field(JsonNode object, String name) {
    if (object == null || !object.isObject()) {
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue().isNull() ? null : e.getValue();
      }
    }
    return null;
  }

  /** A string property (numbers and booleans as their text), or null. */
  public static String text(JsonNode object, String name) {
    JsonNode v = field(object, name);
    if (v == null) {
      return null;
    }
    if (v.isValueNode()) {
      return v.asText();
    }
    throw HttpError.badRequest("The request is invalid. '" + name + "' must be a string.");
  }
}
