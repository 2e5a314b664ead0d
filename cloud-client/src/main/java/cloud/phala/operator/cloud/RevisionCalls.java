package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The app revision calls of {@link PhalaCloudClient}: history, one revision, redeploying one. */
final class RevisionCalls {
  private RevisionCalls() {}

  /** One page of the app's deployment history, newest first; items carry no compose or env. */
  static RevisionPage appRevisions(Calls calls, String appId, int page, int pageSize) {
    String operation = "GET /apps/{app_id}/revisions";
    String path =
        "/apps/" + Calls.segment(appId) + "/revisions?page=" + page + "&page_size=" + pageSize;
    JsonNode reply = calls.call(operation, "GET", path, null, true);
    List<AppRevision> items = new ArrayList<>();
    reply.path("revisions").forEach(item -> items.add(AppRevision.item(item, operation)));
    return new RevisionPage(
        items,
        reply.path("total").asInt(),
        reply.path("page").asInt(),
        reply.path("total_pages").asInt());
  }

  /** One revision of the app, with the app compose and sealed env it gives a CVM. */
  static AppRevision appRevision(Calls calls, String appId, String revisionId) {
    String operation = "GET /apps/{app_id}/revisions/{revision_id}";
    String path = "/apps/" + Calls.segment(appId) + "/revisions/" + Calls.segment(revisionId);
    return AppRevision.detail(calls.call(operation, "GET", path, null, true), operation);
  }

  /**
   * Restarts the CVM on a revision of its app: that revision's app compose and sealed env, as Phala
   * Cloud keeps them. Not repeated after a lost answer.
   */
  static void redeployRevision(Calls calls, String cvmId, String revisionId) {
    calls.ignoringAnswer(
        "POST /cvms/{cvm_id}/revisions/{revision_id}/redeploy",
        "POST",
        "/cvms/" + Calls.segment(cvmId) + "/revisions/" + Calls.segment(revisionId) + "/redeploy",
        null,
        false);
  }
}
