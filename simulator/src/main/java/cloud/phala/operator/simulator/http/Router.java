package cloud.phala.operator.simulator.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Matches a method and path against templates such as {@code /api/v1/cvms/{cvm_id}/envs}. */
public final class Router {
  /** Handles one matched request. */
  @FunctionalInterface
  public interface Handler {
    Response handle(Request request);
  }

  /** A matched route: the template, its handler and the path parameters. */
  record Match(String template, Handler handler, Map<String, String> params) {}

  private record Route(String method, String template, String[] segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  public Router add(String method, String template, Handler handler) {
    routes.add(new Route(method, template, split(template), handler));
    return this;
  }

  /** Every route as {@code METHOD /template}, in registration order. */
  public List<String> describe() {
    return routes.stream().map(r -> r.method + " " + r.template).toList();
  }

  /** The route for a request, or none; {@code pathKnown} tells 404 from 405. */
  record Lookup(Match match, boolean pathKnown) {}

  Lookup lookup(String method, String path) {
    String[] parts = split(path);
    boolean pathKnown = false;
    for (Route route : routes) {
      Map<String, String> params = matchSegments(route.segments, parts);
      if (params == null) {
        continue;
      }
      pathKnown = true;
      if (route.method.equals(method)) {
        return new Lookup(new Match(route.template, route.handler, params), true);
      }
    }
    return new Lookup(null, pathKnown);
  }

  private static Map<String, String> matchSegments(String[] template, String[] path) {
    if (template.length != path.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        params.put(t.substring(1, t.length() - 1), path[i]);
      } else if (!t.equals(path[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String trimmed =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return trimmed.split("/", -1);
  }
}
