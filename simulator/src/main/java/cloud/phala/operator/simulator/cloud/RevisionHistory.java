package cloud.phala.operator.simulator.cloud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each app's revisions, oldest first as recorded, read newest first as the API lists them. One is
 * recorded for every operation that gives a CVM its compose and env: deploy (commit or replica),
 * update (env, compose or pre-launch script), restart and redeploy. Guarded by the world's lock.
 */
final class RevisionHistory {
  static final String DEPLOY = "deploy";
  static final String UPDATE = "update";
  static final String RESTART = "restart";
  static final String REDEPLOY = "redeploy";

  private final Ids ids;
  private final Map<String, List<AppRevision>> byApp = new HashMap<>();
  private long recorded;

  RevisionHistory(Ids ids) {
    this.ids = ids;
  }

  /** What {@code cvm} runs from now on: its compose and sealed env, under its operation's id. */
  void record(Cvm cvm, String operationType, Instant at) {
    byApp
        .computeIfAbsent(cvm.app.appId, k -> new ArrayList<>())
        .add(
            new AppRevision(
                ids.revisionId(++recorded),
                cvm.app.appId,
                cvm.vmUuid,
                cvm.name,
                cvm.compose,
                cvm.encryptedEnv,
                at,
                cvm.correlationId,
                operationType));
  }

  /**
   * Newest first, {@code size} from {@code from} (0-based). Every app has a revision from its first
   * deploy on, so an app without any is unknown (404).
   */
  List<AppRevision> page(String appId, int from, int size) {
    List<AppRevision> all = byApp.get(appId);
    if (all == null) {
      throw CloudError.plain(404, "App " + appId + " not found");
    }
    List<AppRevision> out = new ArrayList<>();
    for (int i = all.size() - 1 - from; i >= 0 && out.size() < size; i--) {
      out.add(all.get(i));
    }
    return out;
  }

  int count(String appId) {
    return byApp.getOrDefault(appId, List.of()).size();
  }

  /** A revision of this app; another app's revision is not found here either (404). */
  AppRevision get(String appId, String revisionId) {
    return byApp.getOrDefault(appId, List.of()).stream()
        .filter(r -> r.revisionId().equals(revisionId))
        .findFirst()
        .orElseThrow(
            () -> CloudError.plain(404, "Revision " + revisionId + " not found for app " + appId));
  }

  void clear() {
    byApp.clear();
    recorded = 0;
  }
}
