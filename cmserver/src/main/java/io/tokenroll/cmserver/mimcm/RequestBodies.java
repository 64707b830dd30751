package io.tokenroll.cmserver.mimcm;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.cmserver.http.Json;
import io.tokenroll.protocol.mimcm.RequestType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads MIM request bodies the way the documented clients send them (reference §1.5): property names in any
 * case, {@code datacollection} as an array or as a string holding one (even with typographic quotes),
 * {@code priority} as a number or a string.
 */
final class RequestBodies {
  private RequestBodies() {
  }

  static RequestService.NewRequest newRequest(byte[] body) {
    JsonNode json = Json.read(body);
    if (!json.isObject()) {
      throw HttpError.badRequest("The request is invalid. The body must be a JSON object.");
    }
    String typeText = Json.text(json, "type");
    RequestType type = RequestType.parse(typeText);
    if (type == null || type == RequestType.NONE) {
      throw HttpError.badRequest("The request is invalid. 'type' is missing or not a request type: " + typeText);
    }
    if (!hasKey(json, "comment")) {
      throw HttpError.badRequest("The request is invalid. 'comment' is required (it may be empty).");
    }
    if (!hasKey(json, "datacollection")) {
      throw HttpError.badRequest("The request is invalid. 'datacollection' is required (it may be empty).");
    }
    return new RequestService.NewRequest(type, guid(json, "profiletemplateuuid"), guid(json, "smartcard"),
        guid(json, "target"), dataCollection(Json.field(json, "datacollection")), Json.text(json, "comment"),
        priority(Json.field(json, "priority")));
  }

  private static boolean hasKey(JsonNode json, String name) {
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      if (it.next().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  static UUID guid(JsonNode json, String name) {
    String text = Json.text(json, name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(text.trim().replaceAll("^\\{|}$", ""));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("The request is invalid. '" + name + "' is not a GUID.");
    }
  }

  static List<Stored.NameValue> dataCollection(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    JsonNode array = node;
    if (node.isTextual()) {
      String text = node.asText().replace('\u201c', '"').replace('\u201d', '"').trim();
      if (text.isEmpty()) {
        return List.of();
      }
      array = Json.read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (!array.isArray()) {
      throw HttpError.badRequest("The request is invalid. 'datacollection' must be an array of name/value items.");
    }
    List<Stored.NameValue> out = new ArrayList<>();
    for (JsonNode item : array) {
      if (!item.isObject()) {
        throw HttpError.badRequest("The request is invalid. A 'datacollection' item must be an object.");
      }
      JsonNode name = Json.field(item, "name");
      if (name != null && hasKey(item, "value") && item.size() == 2) {
        out.add(new Stored.NameValue(name.asText(), Json.text(item, "value")));
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.add(new Stored.NameValue(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
      }
    }
    return out;
  }

  static Integer priority(JsonNode node) {
    if (node == null) {
      return null;
    }
    try {
      int p = node.isNumber() ? node.intValue() : Integer.parseInt(node.asText().trim());
      if (p < 0 || p > 255) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("The request is invalid. 'priority' must be a number from 0 to 255.");
    }
  }

  /** The CSRs of a certificatedata body. */
  static List<String> certificateRequests(JsonNode json) {
    JsonNode list = Json.field(json, "certificaterequests");
    if (list == null || !list.isArray()) {
      throw HttpError.badRequest("The request is invalid. 'certificaterequests' must be an array of base64 "
          + "PKCS#10 requests.");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode csr : list) {
      if (!csr.isTextual()) {
        throw HttpError.badRequest("The request is invalid. Each certificate request must be a base64 string.");
      }
      out.add(csr.asText());
    }
    return out;
  }
}
