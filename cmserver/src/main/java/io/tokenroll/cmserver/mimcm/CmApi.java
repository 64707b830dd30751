package io.tokenroll.cmserver.mimcm;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenroll.cmserver.UserAccount;
import io.tokenroll.cmserver.ca.CertificateAuthority;
import io.tokenroll.cmserver.http.Application;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.cmserver.http.Json;
import io.tokenroll.cmserver.http.Request;
import io.tokenroll.cmserver.http.Response;
import io.tokenroll.cmserver.http.Router;
import io.tokenroll.protocol.mimcm.MimEnum;
import io.tokenroll.protocol.mimcm.ProfileStatus;
import io.tokenroll.protocol.mimcm.RequestStatus;
import io.tokenroll.protocol.mimcm.RequestType;
import io.tokenroll.protocol.mimcm.SmartcardStatus;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;

/**
 * The MIM CM REST API under {@code /CertificateManagement/api/v1.0/} (reference §1.2–§1.3): every documented
 * route, with MIM's codes — 200, 201 with a JSON-string location, 204 for nothing found, 403 for another user's
 * objects or a refused transition — and 404 for everything when the API is switched off.
 */
public final class CmApi implements Application {
  private static final String G = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
  private static final String API = "/certificatemanagement/api/v1.0/";

  private final boolean enabled;
  private final CmStore store;
  private final RequestService requests;
  private final SmartcardService cards;
  private final CertificateDataService certificateData;
  private final String caConfig;
  private final Router router = new Router();

  public CmApi(boolean enabled, CmStore store, CertificateAuthority ca) {
    this.enabled = enabled;
    this.store = store;
    this.requests = new RequestService(store, ca);
    this.cards = new SmartcardService(store);
    this.certificateData = new CertificateDataService(store, ca);
    this.caConfig = ca.config();
    router.on("GET", "profiletemplates", (r, m) -> list(store.templates().stream().map(Views::template).toList()))
        .on("GET", "profiletemplates/" + G, (r, m) -> template(m).map(t -> ok(Views.template(t))).orElse(none()))
        .on("GET", "profiletemplates/" + G + "/(?:policies|policy/workflow)/(\\w+)", this::policy)
        .on("GET", "profiletemplates/" + G + "/configuration/smartcards", (r, m) -> template(m)
            .filter(t -> t.smartcardSettings() != null).map(t -> ok(Views.smartcardConfig(t.smartcardSettings())))
            .orElse(none()))
        .on("POST", "requests", this::createRequest)
        .on("GET", "requests", this::listRequests)
        .on("GET", "requests/" + G, this::getRequest)
        .on("PUT", "requests/" + G, (r, m) -> ok(view(requests.updateStatus(r.user(), uuid(m, 1),
            Json.text(Json.read(r.body()), "status")))))
        .on("GET", "requests/" + G + "/certificaterequestgenerationoptions",
            (r, m) -> list(certificateData.generationOptions(r.user(), uuid(m, 1))))
        .on("POST", "requests/" + G + "/certificatedata", this::certificateData)
        .on("GET", "requests/" + G + "/profiles", this::profilesOfRequest)
        .on("POST", "smartcards", this::bindCard)
        .on("GET", "smartcards", this::listCards)
        .on("GET", "smartcards/" + G, (r, m) -> ok(Views.smartcard(store.ownCard(r.user(), uuid(m, 1)))))
        .on("GET", "requests/" + G + "/smartcards/" + G,
            (r, m) -> ok(Views.smartcard(cards.cardOfRequest(r.user(), uuid(m, 1), uuid(m, 2)))))
        .on("PUT", "requests/" + G + "/smartcards/" + G, (r, m) -> ok(Views.smartcard(cards.updateStatus(r.user(),
            uuid(m, 1), uuid(m, 2), Json.text(Json.read(r.body()), "status")))))
        .on("GET", "requests/" + G + "/smartcards/" + G + "/diversifiedkey", (r, m) -> ok(base64(
            cards.diversifiedKey(r.user(), uuid(m, 1), uuid(m, 2), r.query("cardid")))))
        .on("GET", "requests/" + G + "/smartcards/" + G + "/authenticationresponse", (r, m) -> ok(base64(
            cards.authenticationResponse(r.user(), uuid(m, 1), uuid(m, 2), r.query("cardid"), r.query("challenge"),
                "true".equalsIgnoreCase(r.query("diversified"))))))
        .on("GET", "requests/" + G + "/smartcards/" + G + "/serverproposedpin",
            (r, m) -> pin(cards.proposedPin(r.user(), uuid(m, 1), uuid(m, 2), r.query("cardid"))))
        .on("GET", "smartcards/" + G + "/serverproposedpin",
            (r, m) -> pin(cards.proposedPin(r.user(), null, uuid(m, 1), r.query("cardid"))))
        .on("GET", "smartcards/" + G + "/operations", (r, m) -> {
          Stored.CmSmartcard c = store.ownCard(r.user(), uuid(m, 1));
          return list(Views.cardOperations(c, store.template(c.profileTemplateUuid())));
        })
        .on("GET", "profiles/" + G + "/operations", (r, m) -> {
          Stored.CmProfile p = store.ownProfile(r.user(), uuid(m, 1));
          return list(Views.profileOperations(p, store.template(p.profileTemplateUuid())));
        })
        .on("GET", "smartcards/" + G + "/certificates", (r, m) -> list(certificatesOfCard(r.user(), uuid(m, 1))))
        .on("GET", "profiles/" + G + "/certificates", (r, m) -> list(certificatesOfProfile(r.user(), uuid(m, 1))))
        .on("GET", "profiles", this::listProfiles)
        .on("GET", "profiles/" + G, (r, m) -> {
          Stored.CmProfile p = store.ownProfile(r.user(), uuid(m, 1));
          return list(List.of(Views.profile(p, store.template(p.profileTemplateUuid()))));
        })
        .on("GET", "certificates", (r, m) -> list(certificatesOfUser(r.user())));
  }

  @Override
  public String prefix() {
    return "/certificatemanagement/";
  }

  @Override
  public Audience audience() {
    return Audience.USERS;
  }

  @Override
  public String realm() {
    return "CertificateManagement";
  }

  @Override
  public boolean anonymousAllowed(Request request) {
    return !enabled; // A disabled API has no routes: 404 before any authentication, as on IIS.
  }

  @Override
  public Response handle(Request request) throws Exception {
    String lower = request.path().toLowerCase(Locale.ROOT);
    if (!enabled || !lower.startsWith(API)) {
      return notFoundPage();
    }
    Router.Outcome outcome;
    try {
      outcome = router.dispatch(request, request.path().substring(API.length()));
    } catch (HttpError e) {
      if (e.status() == 404 && request.method().equalsIgnoreCase("GET")) {
        return none(); // MIM's GETs answer "nothing found" with 204.
      }
      throw e;
    }
    if (outcome instanceof Router.Handled h) {
      return h.response();
    }
    if (outcome instanceof Router.WrongMethod) {
      throw new HttpError(405, "The requested resource does not support http method '" + request.method() + "'.");
    }
    throw HttpError.notFound("No HTTP resource was found that matches the request URI '" + request.path() + "'.");
  }

  @Override
  public Response error(int status, String message, String correlationId) {
    if (status == 401) {
      return Response.html(401, "<html><body><h2>401 - Unauthorized: " + message + "</h2></body></html>");
    }
    return Response.json(status, new Wire.ErrorView(message + " Correlation id: " + correlationId + "."));
  }

  private static Response notFoundPage() {
    return Response.html(404, "<html><body><h2>404 - File or directory not found.</h2></body></html>");
  }

  private Optional<ProfileTemplate> template(Matcher m) {
    return Optional.ofNullable(store.template(uuid(m, 1)));
  }

  private Response policy(Request r, Matcher m) {
    RequestType type = RequestType.parse(m.group(2));
    if (type == null) {
      throw HttpError.badRequest("The request is invalid. '" + m.group(2) + "' is not a workflow type.");
    }
    return template(m).map(t -> t.policy(type)).map(p -> ok(Views.policy(p))).orElse(none());
  }

  private Response createRequest(Request r, Matcher m) throws SQLException {
    Stored.CmRequest created = requests.create(r.user(), RequestBodies.newRequest(r.body()));
    String location = "api/v1.0/requests/" + created.uuid();
    return Response.json(201, location).withHeader("Location", "/CertificateManagement/" + location);
  }

  private Response listRequests(Request r, Matcher m) throws SQLException {
    checkTarget(r);
    String statusText = r.query("status");
    RequestStatus status = statusText == null ? null : MimEnum.parse(RequestStatus.class, statusText);
    if (statusText != null && status == null) {
      throw HttpError.badRequest("The request is invalid. '" + statusText + "' is not a request status.");
    }
    return list(store.requests.byOwner(owner(r.user())).stream()
        .filter(x -> status == null || x.status() == status.code()).map(this::view).toList());
  }

  private Response getRequest(Request r, Matcher m) throws SQLException {
    checkTarget(r);
    return store.ownRequestIfAny(r.user(), uuid(m, 1)).map(x -> ok(view(x))).orElse(none());
  }

  private static void checkTarget(Request r) {
    String target = r.query("targetuser");
    if (target != null && !target.equalsIgnoreCase("current") && !target.equalsIgnoreCase(r.user().name())
        && !target.equalsIgnoreCase(r.user().uuid().toString())) {
      throw HttpError.forbidden("Only the current user is supported as 'targetuser'.");
    }
  }

  private Wire.RequestView view(Stored.CmRequest r) {
    return Views.request(r, store.template(r.profileTemplateUuid()));
  }

  private Response certificateData(Request r, Matcher m) throws SQLException {
    JsonNode body = Json.read(r.body());
    List<String> csrs = RequestBodies.certificateRequests(body);
    String pfxPassword = Json.text(body, "pfxpassword");
    return ok(certificateData.submit(r.user(), uuid(m, 1), csrs, pfxPassword == null ? "" : pfxPassword));
  }

  private Response profilesOfRequest(Request r, Matcher m) throws SQLException {
    store.ownRequest(r.user(), uuid(m, 1));
    return list(filterProfiles(r, store.profiles.byLookup(uuid(m, 1).toString())));
  }

  private Response listProfiles(Request r, Matcher m) throws SQLException {
    return list(filterProfiles(r, store.profiles.byOwner(owner(r.user()))));
  }

  /**
   * The filter values MIM documents for profiles (reference §1.3.16), a mix of profile and request words. Those
   * that are no profile status here (Pending, Failed …) are accepted and match nothing, as MIM accepts them.
   */
  private static final java.util.Set<String> DOCUMENTED_PROFILE_FILTERS = java.util.Set.of("active", "approved",
      "canceled", "completed", "denied", "executing", "failed", "none", "pending");

  private List<Wire.ProfileView> filterProfiles(Request r, List<Stored.CmProfile> profiles) {
    String statusText = r.query("status");
    ProfileStatus status = statusText == null ? null : MimEnum.parse(ProfileStatus.class, statusText);
    boolean documented = statusText != null && DOCUMENTED_PROFILE_FILTERS.contains(
        statusText.strip().toLowerCase(java.util.Locale.ROOT));
    if (statusText != null && status == null && !documented) {
      throw HttpError.badRequest("The request is invalid. '" + statusText + "' is not a profile status.");
    }
    return profiles.stream().filter(p -> CmStore.owns(r.user(), p.owner()))
        .filter(p -> statusText == null || status != null && p.status() == status.code())
        .map(p -> Views.profile(p, store.template(p.profileTemplateUuid()))).toList();
  }

  private Response bindCard(Request r, Matcher m) throws SQLException {
    JsonNode body = Json.read(r.body());
    UUID requestId = RequestBodies.guid(body, "requestid");
    if (requestId == null) {
      throw HttpError.badRequest("The request is invalid. 'requestid' is required.");
    }
    Stored.CmSmartcard card = cards.bind(r.user(), requestId, Json.text(body, "cardid"), Json.text(body, "atr"));
    String location = "api/v1.0/smartcards/" + card.uuid();
    return Response.json(201, location).withHeader("Location", "/CertificateManagement/" + location);
  }

  private Response listCards(Request r, Matcher m) throws SQLException {
    String cardId = r.query("cardid");
    if (cardId == null) {
      return list(store.cards.byOwner(owner(r.user())).stream().map(Views::smartcard).toList());
    }
    List<Stored.CmSmartcard> found = store.cards.byLookup(cardId.replaceAll("^\\{|}$", "").toLowerCase(Locale.ROOT));
    if (found.isEmpty()) {
      return none();
    }
    // The newest card object for that physical card; another user's card is not theirs to see.
    Stored.CmSmartcard latest = found.stream().filter(c -> c.status() != SmartcardStatus.RETIRED.code()).reduce((a, b) -> b)
        .orElse(found.get(found.size() - 1));
    return ok(Views.smartcard(store.ownCard(r.user(), latest.uuid())));
  }

  private List<Wire.ClmCertificateView> certificatesOfCard(UserAccount user, UUID card) throws SQLException {
    store.ownCard(user, card);
    List<Wire.ClmCertificateView> out = new java.util.ArrayList<>();
    for (Stored.CmCertificate c : store.certificates.byOwner(owner(user))) {
      var issuedFor = store.requests.get(c.requestUuid().toString());
      if (issuedFor.isPresent() && card.equals(issuedFor.get().newSmartcardUuid())) {
        out.add(Views.certificate(c));
      }
    }
    return out;
  }

  /** The caller's certificates; those of a retired card or profile are filtered out, as MIM documents. */
  private List<Wire.UserCertificateView> certificatesOfUser(UserAccount user) throws SQLException {
    List<Wire.UserCertificateView> out = new java.util.ArrayList<>();
    for (Stored.CmCertificate c : store.certificates.byOwner(owner(user))) {
      if (!retired(c)) {
        out.add(Views.userCertificate(c, caConfig));
      }
    }
    return out;
  }

  private boolean retired(Stored.CmCertificate c) throws SQLException {
    var issuedFor = store.requests.get(c.requestUuid().toString());
    if (issuedFor.isPresent() && issuedFor.get().newSmartcardUuid() != null) {
      var card = store.cards.get(issuedFor.get().newSmartcardUuid().toString());
      if (card.isPresent() && card.get().status() == SmartcardStatus.RETIRED.code()) {
        return true;
      }
    }
    return store.profiles.byLookup(c.requestUuid().toString()).stream()
        .anyMatch(p -> p.status() == ProfileStatus.RETIRED.code());
  }

  private List<Wire.ClmCertificateView> certificatesOfProfile(UserAccount user, UUID profile) throws SQLException {
    Stored.CmProfile p = store.ownProfile(user, profile);
    return store.certificates.byLookup(p.requestUuid().toString()).stream().map(Views::certificate).toList();
  }

  private static String owner(UserAccount user) {
    return user.name().toLowerCase(Locale.ROOT);
  }

  private static UUID uuid(Matcher m, int group) {
    return UUID.fromString(m.group(group));
  }

  private static String base64(byte[] data) {
    return Base64.getEncoder().encodeToString(data);
  }

  private static Response ok(Object body) {
    return Response.json(200, body);
  }

  private static Response none() {
    return Response.noContent();
  }

  private static Response list(List<?> items) {
    return items.isEmpty() ? none() : ok(items);
  }

  private static Response pin(String pin) {
    return pin == null ? none() : ok(pin);
  }
}
