package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.Observation.Lookup;
import cloud.phala.operator.app.sync.decide.RollbackRecords;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.cloud.RevisionPage;
import cloud.phala.operator.crd.PhalaApp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads of an app's Phala Cloud revisions, for rollbacks. */
final class RevisionHistory {
  /** How much of an app's history is read for the revision its replicas run. */
  private static final int PAGE_SIZE = 100;

  private static final int PAGES = 10;

  /** Phala Cloud's copy of the revision the app's verified rollback record names. */
  Lookup<AppRevision> rollbackRevision(PhalaCloudClient client, String appId, PhalaApp app) {
    return revision(client, appId, app.getStatus().rollout.rollbackRecord.phalaRevision);
  }

  /** Phala Cloud's copy of one revision of the app, or why there is none. */
  Lookup<AppRevision> revision(PhalaCloudClient client, String appId, String revisionId) {
    try {
      return Lookup.found(client.appRevision(appId, revisionId));
    } catch (PhalaApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      return Lookup.missing("Phala Cloud has no revision " + revisionId + " of app " + appId);
    }
  }

  /** The app's history newest first, as far back as needed to find one of {@code cvms}. */
  Lookup<List<AppRevision>> newestFirst(PhalaCloudClient client, String appId, List<Cvm> cvms) {
    try {
      List<AppRevision> out = new ArrayList<>();
      for (int page = 1; page <= PAGES; page++) {
        RevisionPage next = client.appRevisions(appId, page, PAGE_SIZE);
        out.addAll(next.revisions());
        if (RollbackRecords.mentionsAny(next.revisions(), cvms) || page >= next.totalPages()) {
          break;
        }
      }
      return Lookup.found(out);
    } catch (PhalaApiException | PhalaTransportException e) {
      return Lookup.missing(e.getMessage());
    }
  }

  /**
   * When Phala Cloud last recorded a change of each of {@code vmUuids}, from the newest page of the
   * app's history (newest first); a CVM with no entry there is left out.
   */
  Map<String, Instant> lastChanges(PhalaCloudClient client, String appId, List<String> vmUuids) {
    if (vmUuids.isEmpty()) {
      return Map.of();
    }
    Map<String, Instant> out = new LinkedHashMap<>();
    for (AppRevision revision : client.appRevisions(appId, 1, PAGE_SIZE).revisions()) {
      for (String vmUuid : vmUuids) {
        if (sameUuid(vmUuid, revision.vmUuid()) && revision.createdAt().isPresent()) {
          out.putIfAbsent(vmUuid, revision.createdAt().get());
        }
      }
    }
    return out;
  }

  private static boolean sameUuid(String a, String b) {
    return b != null && a.replace("-", "").equalsIgnoreCase(b.replace("-", ""));
  }
}
