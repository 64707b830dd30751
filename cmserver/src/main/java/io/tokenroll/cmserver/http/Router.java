package io.tokenroll.cmserver.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches a path (case-insensitively, with or without a trailing slash) against route patterns and calls the
 * handler registered for the method. A path that matches no route is 404; one that matches with another method
 * is 405.
 */
public final class Router {
  /** A route handler; {@code m} holds the pattern's groups (GUIDs, ids). */
  @FunctionalInterface
  public interface Handler {
    Response handle(Request request, Matcher m) throws Exception;
  }

  private record Route(String method, Pattern pattern, Handler handler) {
  }

  /** What the router found: a response, or that no route or no method matched. */
  public sealed interface Outcome {
  }

  public record Handled(Response response) implements Outcome {
  }

  public record NoRoute() implements Outcome {
  }

  public record WrongMethod() implements Outcome {
  }

  private final List<Route> routes = new ArrayList<>();

  /** Registers {@code regex}, matched against the whole path after the application's prefix. */
  public Router on(String method, String regex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), handler));
    return this;
  }

  public Outcome dispatch(Request request, String relativePath) throws Exception {
    String path = relativePath.endsWith("/") && relativePath.length() > 1
        ? relativePath.substring(0, relativePath.length() - 1) : relativePath;
    boolean pathMatched = false;
    for (Route r : routes) {
      Matcher m = r.pattern.matcher(path);
      if (m.matches()) {
        pathMatched = true;
        if (r.method.equals(request.method().toUpperCase(Locale.ROOT))) {
          return new Handled(r.handler.handle(request, m));
        }
      }
    }
    return pathMatched ? new WrongMethod() : new NoRoute();
  }
}
