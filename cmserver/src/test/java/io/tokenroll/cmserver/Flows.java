package io.tokenroll.cmserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The documented client steps, for tests that need to get somewhere in the flow. */
final class Flows {
  private Flows() {
  }

  /** POST requests (Enroll) and return the new request's GUID from the 201 body. */
  static UUID enroll(TestClient c, UUID template) throws Exception {
    HttpResponse<byte[]> r = c.api("POST", "requests", Map.of("datacollection", List.of(), "type", "Enroll",
        "profiletemplateuuid", template.toString(), "comment", ""));
    assertEquals(201, r.statusCode(), TestClient.text(r));
    String location = TestClient.json(r).asText();
    return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
  }

  static JsonNode request(TestClient c, UUID id) throws Exception {
    HttpResponse<byte[]> r = c.api("GET", "requests/" + id, null);
    assertEquals(200, r.statusCode(), TestClient.text(r));
    return TestClient.json(r);
  }

  static HttpResponse<byte[]> certificateData(TestClient c, UUID id, String pfxPassword, byte[]... csrs)
      throws Exception {
    List<String> list = java.util.Arrays.stream(csrs).map(Csrs::wrapped).toList();
    return c.api("POST", "requests/" + id + "/certificatedata", Map.of("pfxpassword", pfxPassword,
        "certificaterequests", list, "comments", ""));
  }
}
