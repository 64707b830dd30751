package io.tokenroll.cmserver.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenroll.cmserver.http.Application;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.cmserver.http.Json;
import io.tokenroll.cmserver.http.Request;
import io.tokenroll.cmserver.http.Response;
import io.tokenroll.cmserver.http.Router;
import java.math.BigInteger;
import java.util.Map;
import java.util.UUID;

/**
 * The admin path {@code /cmserver-admin/}, apart from MIM's API and with its own credential: list and approve or
 * deny CM requests, approve or deny CA requests held for a CA manager, revoke certificates.
 */
public final class AdminApi implements Application {
  private static final String G = "([0-9a-fA-F-]{36})";

  private final Router router = new Router();

  public AdminApi(CmAdmin admin) {
    router.on("GET", "requests", (r, m) -> Response.json(200, admin.requests()))
        .on("POST", "requests/" + G + "/approve", (r, m) -> Response.json(200, admin.approveRequest(uuid(m.group(1)))))
        .on("POST", "requests/" + G + "/deny", (r, m) -> Response.json(200, admin.denyRequest(uuid(m.group(1)),
            reason(r))))
        .on("GET", "ca-requests", (r, m) -> Response.json(200, admin.pendingCaRequests()))
        .on("POST", "ca-requests/(\\d+)/approve",
            (r, m) -> Response.json(200, admin.approveCaRequest(Integer.parseInt(m.group(1)))))
        .on("POST", "ca-requests/(\\d+)/deny",
            (r, m) -> Response.json(200, admin.denyCaRequest(Integer.parseInt(m.group(1)), reason(r))))
        .on("POST", "certificates/([0-9a-fA-F]+)/revoke", (r, m) -> {
          admin.revoke(new BigInteger(m.group(1), 16));
          return Response.json(200, Map.of("Revoked", m.group(1).toLowerCase(java.util.Locale.ROOT)));
        });
  }

  private static UUID uuid(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("'" + text + "' is not a GUID.");
    }
  }

  private static String reason(Request r) {
    if (r.body() == null || r.body().length == 0) {
      return null;
    }
    JsonNode body = Json.read(r.body());
    return Json.text(body, "reason");
  }

  @Override
  public String prefix() {
    return "/cmserver-admin/";
  }

  @Override
  public Audience audience() {
    return Audience.ADMIN;
  }

  @Override
  public String realm() {
    return "cmserver-admin";
  }

  @Override
  public Response handle(Request request) throws Exception {
    try {
      Router.Outcome outcome = router.dispatch(request, request.path().substring(Math.min(request.path().length(),
          prefix().length())));
      if (outcome instanceof Router.Handled h) {
        return h.response();
      }
      throw new HttpError(outcome instanceof Router.WrongMethod ? 405 : 404, "No such admin operation.");
    } catch (IllegalStateException e) {
      throw new HttpError(409, e.getMessage());
    }
  }

  @Override
  public Response error(int status, String message, String correlationId) {
    return Response.json(status, Map.of("Message", message + " Correlation id: " + correlationId + "."));
  }
}
