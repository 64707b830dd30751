package io.tokenroll.agent.mimcm;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenroll.agent.http.HttpTransport;
import io.tokenroll.agent.http.HttpTransport.Reply;
import io.tokenroll.agent.http.ProtocolException;
import io.tokenroll.agent.http.ServerException;
import io.tokenroll.agent.mimcm.Models.CertificateItem;
import io.tokenroll.agent.mimcm.Models.CmRequest;
import io.tokenroll.agent.mimcm.Models.CreateRequest;
import io.tokenroll.agent.mimcm.Models.GenerationOption;
import io.tokenroll.agent.mimcm.Models.Policy;
import io.tokenroll.agent.mimcm.Models.ProfileTemplate;
import io.tokenroll.agent.mimcm.Models.Smartcard;
import io.tokenroll.agent.mimcm.Models.SmartcardConfiguration;
import io.tokenroll.protocol.mimcm.CmPaths;
import io.tokenroll.protocol.mimcm.RequestStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The MIM CM REST API ({@code /CertificateManagement/api/v1.0/}) as the Modern App uses it (reference §1–§2).
 * Sends the canonical forms; reads forgivingly (case-insensitive names, integer or string enums, 204 = nothing).
 */
public final class MimCmClient {
  private final HttpTransport http;

  public MimCmClient(HttpTransport http) {
    this.http = http;
  }

  public HttpTransport transport() {
    return http;
  }

  private Reply get(String route) throws ServerException {
    return http.exchange("GET", CmPaths.API + route, null, null, true);
  }

  private Reply send(String method, String route, Object body, boolean idempotent) throws ServerException {
    return http.exchange(method, CmPaths.API + route, CmJson.write(body), "application/json", idempotent);
  }

  public List<ProfileTemplate> profileTemplates() throws ServerException {
    Reply r = get("profiletemplates");
    return r.status() == 204 ? List.of() : Arrays.asList(CmJson.read(r.body(), ProfileTemplate[].class,
        "GET profiletemplates"));
  }

  /** A template by name (case-insensitive) or UUID. */
  public Optional<ProfileTemplate> profileTemplate(String nameOrUuid) throws ServerException {
    for (ProfileTemplate t : profileTemplates()) {
      if (t.name() != null && t.name().equalsIgnoreCase(nameOrUuid)
          || t.uuid() != null && t.uuid().toString().equalsIgnoreCase(nameOrUuid)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** {@code GET profiletemplates/{id}/policies/{type}}, the route form MIM's examples use. */
  public Optional<Policy> policy(UUID template, String workflow) throws ServerException {
    Reply r = get("profiletemplates/" + template + "/policies/" + workflow.toLowerCase(Locale.ROOT));
    return r.status() == 204 ? Optional.empty() : Optional.of(CmJson.read(r.body(), Policy.class, "GET policies"));
  }

  public Optional<SmartcardConfiguration> smartcardConfiguration(UUID template) throws ServerException {
    Reply r = get("profiletemplates/" + template + "/configuration/smartcards");
    return r.status() == 204 ? Optional.empty()
        : Optional.of(CmJson.read(r.body(), SmartcardConfiguration.class, "GET configuration/smartcards"));
  }

  /** Creates a request; the 201 body is a JSON string whose last path segment is the request's GUID. */
  public UUID createRequest(CreateRequest request) throws ServerException {
    Reply r = send("POST", "requests", request, false);
    return lastSegmentGuid(r, "POST requests");
  }

  public CmRequest request(UUID id) throws ServerException {
    Reply r = get("requests/" + id);
    if (r.status() == 204) {
      throw new ProtocolException("GET requests/" + id + " answered 204: the server knows no such request");
    }
    return CmJson.read(r.body(), CmRequest.class, "GET requests/" + id);
  }

  /** The caller's requests, optionally of one status. */
  public List<CmRequest> requests(RequestStatus status) throws ServerException {
    Reply r = get("requests" + (status == null ? "" : "?status=" + status.wireName()));
    if (r.status() == 204) {
      return List.of();
    }
    JsonNode tree = CmJson.tree(r.body(), "GET requests");
    if (!tree.isArray()) {
      return List.of(CmJson.convert(tree, CmRequest.class, "GET requests")); // one object, as for a single GET
    }
    return Arrays.asList(CmJson.convert(tree, CmRequest[].class, "GET requests"));
  }

  /** {@code PUT requests/{id}} with Completed, Canceled or Abandoned. */
  public CmRequest updateStatus(UUID id, String status) throws ServerException {
    Reply r = send("PUT", "requests/" + id, Map.of("status", status), true);
    return r.status() == 204 || r.body().length == 0 ? null : CmJson.read(r.body(), CmRequest.class, "PUT requests");
  }

  public List<GenerationOption> generationOptions(UUID request) throws ServerException {
    Reply r = get("requests/" + request + "/certificaterequestgenerationoptions");
    return r.status() == 204 ? List.of()
        : Arrays.asList(CmJson.read(r.body(), GenerationOption[].class, "GET certificaterequestgenerationoptions"));
  }

  /** One item per request and per archived key: far fewer than this. */
  static final int MAX_ITEMS = 256;

  /** Submits the CSRs (base64 DER) and returns every item of the answer. Not idempotent: it issues certificates. */
  public List<CertificateItem> certificateData(UUID request, String pfxPassword, List<String> csrs, String comment)
      throws ServerException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("pfxpassword", pfxPassword);
    body.put("certificaterequests", csrs);
    body.put("comments", comment == null ? "" : comment);
    Reply r = send("POST", "requests/" + request + "/certificatedata", body, false);
    if (r.status() == 204) {
      return List.of();
    }
    return certificateItems(r.body());
  }

  /** The items of a certificatedata answer body; anything else is a {@link ProtocolException}. */
  public static List<CertificateItem> certificateItems(byte[] body) throws ProtocolException {
    JsonNode tree = CmJson.tree(body, "POST certificatedata");
    if (!tree.isArray()) {
      throw new ProtocolException("POST certificatedata answered with JSON that is not an array of certificates");
    }
    if (tree.size() > MAX_ITEMS) {
      throw new ProtocolException("POST certificatedata answered with " + tree.size() + " items; more than "
          + MAX_ITEMS + " is not an answer to our requests");
    }
    for (int i = 0; i < tree.size(); i++) {
      if (!tree.get(i).isObject()) {
        throw new ProtocolException("POST certificatedata answered with item " + (i + 1) + " that is not a "
            + "certificate item (a JSON " + tree.get(i).getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")");
      }
    }
    return Arrays.asList(CmJson.convert(tree, CertificateItem[].class, "POST certificatedata"));
  }

  /** Binds a card to a request; returns the CM smart card's UUID (not the card id). */
  public UUID bindSmartcard(UUID request, String cardId, String atrHex) throws ServerException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("requestid", request.toString());
    body.put("cardid", cardId);
    if (atrHex != null) {
      body.put("atr", atrHex);
    }
    return lastSegmentGuid(send("POST", "smartcards", body, false), "POST smartcards");
  }

  public Optional<Smartcard> smartcardByCardId(String cardId) throws ServerException {
    Reply r = get("smartcards?cardid=" + URLEncoder.encode(cardId, StandardCharsets.UTF_8));
    if (r.status() == 204) {
      return Optional.empty();
    }
    JsonNode tree = CmJson.tree(r.body(), "GET smartcards?cardid=");
    JsonNode one = tree.isArray() ? (tree.size() == 0 ? null : tree.get(0)) : tree;
    return one == null ? Optional.empty() : Optional.of(CmJson.convert(one, Smartcard.class, "GET smartcards"));
  }

  public Smartcard smartcard(UUID id) throws ServerException {
    return CmJson.read(get("smartcards/" + id).body(), Smartcard.class, "GET smartcards/" + id);
  }

  public Smartcard updateSmartcardStatus(UUID request, UUID smartcard, String status) throws ServerException {
    Reply r = send("PUT", "requests/" + request + "/smartcards/" + smartcard, Map.of("status", status), true);
    return r.status() == 204 ? null : CmJson.read(r.body(), Smartcard.class, "PUT smartcards");
  }

  /**
   * The server-proposed user PIN (templates whose UserPinOption makes the server choose it). Without a request
   * (a later workflow's login, before its request exists) the card's own route is used, as the doc page gives it.
   */
  public String serverProposedPin(UUID request, UUID smartcard, String cardId) throws ServerException {
    String card = "smartcards/" + smartcard + "/serverproposedpin?cardid="
        + URLEncoder.encode(cardId, StandardCharsets.UTF_8);
    Reply r = get(request == null ? card : "requests/" + request + "/" + card);
    JsonNode n;
    try {
      n = CmJson.tree(r.body(), "GET serverproposedpin");
    } catch (ProtocolException e) {
      // the parser quotes what it could not read, which here would be the PIN
      throw new ProtocolException("GET serverproposedpin did not answer with JSON");
    }
    if (!n.isTextual() || n.asText().isEmpty()) {
      throw new ProtocolException("GET serverproposedpin did not answer with a PIN string");
    }
    return n.asText();
  }

  /** The 24-byte diversified admin key (base64 in a JSON string). */
  public byte[] diversifiedKey(UUID request, UUID smartcard, String cardId) throws ServerException {
    Reply r = get("requests/" + request + "/smartcards/" + smartcard + "/diversifiedkey?cardid="
        + URLEncoder.encode(cardId, StandardCharsets.UTF_8));
    JsonNode n = CmJson.tree(r.body(), "GET diversifiedkey");
    try {
      return java.util.Base64.getMimeDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("GET diversifiedkey answered with broken base64");
    }
  }

  /**
   * The server's answer to a card's administrator challenge (§1.3.12): the challenge encrypted under the template's
   * default admin key, or under the card's diversified key.
   */
  public byte[] authenticationResponse(UUID request, UUID smartcard, String cardId, byte[] challenge,
                                       boolean diversified) throws ServerException {
    Reply r = get("requests/" + request + "/smartcards/" + smartcard + "/authenticationresponse?cardid="
        + URLEncoder.encode(cardId, StandardCharsets.UTF_8) + "&challenge="
        + URLEncoder.encode(java.util.Base64.getEncoder().encodeToString(challenge), StandardCharsets.UTF_8)
        + "&diversified=" + diversified);
    JsonNode n = CmJson.tree(r.body(), "GET authenticationresponse");
    try {
      byte[] answer = java.util.Base64.getMimeDecoder().decode(n.asText());
      if (answer.length != challenge.length) {
        throw new ProtocolException("GET authenticationresponse answered " + answer.length + " bytes for a "
            + challenge.length + "-byte challenge");
      }
      return answer;
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("GET authenticationresponse answered with broken base64");
    }
  }

  public List<String> operations(UUID smartcard) throws ServerException {
    Reply r = get("smartcards/" + smartcard + "/operations");
    return r.status() == 204 ? List.of() : Arrays.asList(CmJson.read(r.body(), String[].class, "GET operations"));
  }

  private static UUID lastSegmentGuid(Reply r, String route) throws ProtocolException {
    JsonNode n = CmJson.tree(r.body(), route);
    String text = n.isTextual() ? n.asText() : r.location();
    if (text == null || text.isBlank()) {
      throw new ProtocolException(route + " answered " + r.status() + " without the new object's URI");
    }
    String last = text.replaceAll("/+$", "");
    last = last.substring(last.lastIndexOf('/') + 1);
    try {
      return UUID.fromString(last);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(route + " answered with '" + abbreviate(text) + "', which does not end in a GUID");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
