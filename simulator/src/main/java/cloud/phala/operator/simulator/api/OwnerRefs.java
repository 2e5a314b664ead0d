package cloud.phala.operator.simulator.api;

import java.util.Map;

/**
 * The owners every simulated resource names: one workspace and one user behind every API key
 * ({@code WorkspaceRef}, {@code UserRef}).
 */
final class OwnerRefs {
  private OwnerRefs() {}

  /** The one workspace every simulated resource belongs to ({@code WorkspaceRef}). */
  static Map<String, Object> workspace() {
    return Json.object()
        .put("object_type", "workspace")
        .put("id", "wks_simulator")
        .put("name", "Simulator")
        .put("slug", "simulator")
        .put("avatar_url", null)
        .build();
  }

  /** The one user behind every API key ({@code UserRef}). */
  static Map<String, Object> user() {
    return Json.object()
        .put("object_type", "user")
        .put("id", "usr_simulator")
        .put("username", "simulator")
        .put("avatar_url", null)
        .build();
  }
}
