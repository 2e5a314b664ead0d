package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus.RollbackRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The record of which Phala Cloud revision a rollback redeploys, and the checks around it. Pure:
 * the revisions are read elsewhere.
 *
 * <p>The record lives in status, which anyone allowed to patch {@code phalaapps/status} can edit,
 * so it carries a tag keyed with the operator's revision key over this PhalaApp's identity, its
 * Phala Cloud app id, the last good revision and the record's fields. An edited record does not
 * verify; a copied one verifies only for the same PhalaApp (uid), app and last good revision.
 */
public final class RollbackRecords {
  private final Revision keys;

  RollbackRecords(Revision keys) {
    this.keys = keys;
  }

  RollbackRecord record(
      PhalaApp app,
      String appId,
      String lastGoodRevision,
      String composeRevision,
      AppRevision phala) {
    RollbackRecord record = new RollbackRecord();
    record.phalaRevision = phala.revisionId();
    record.composeHash = phala.composeHash();
    record.composeRevision = composeRevision;
    record.tag = tag(app, appId, lastGoodRevision, record);
    return record;
  }

  /** Whether {@code record} is the one this operator made for this app at this last good one. */
  boolean verifies(PhalaApp app, String appId, String lastGoodRevision, RollbackRecord record) {
    if (record == null
        || record.tag == null
        || appId == null
        || lastGoodRevision == null
        || Stream.of(record.phalaRevision, record.composeHash, record.composeRevision)
            .anyMatch(f -> f == null)) {
      return false;
    }
    return MessageDigest.isEqual(
        record.tag.getBytes(StandardCharsets.UTF_8),
        tag(app, appId, lastGoodRevision, record).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Why Phala Cloud's copy of the recorded revision must not be redeployed, if it must not: it is
   * another app's, its compose hash is not the one recorded, or it keeps no sealed env.
   */
  static Optional<String> mismatch(AppRevision phala, String appId, RollbackRecord record) {
    if (!sameHex(phala.appId(), appId)) {
      return Optional.of(
          "Phala Cloud revision " + record.phalaRevision + " belongs to another app");
    }
    if (!sameHex(phala.composeHash(), record.composeHash)) {
      return Optional.of(
          "Phala Cloud revision "
              + record.phalaRevision
              + " has compose hash "
              + phala.composeHash()
              + ", not the recorded "
              + record.composeHash);
    }
    if (phala.env().isEmpty() || phala.compose().isEmpty()) {
      return Optional.of("Phala Cloud revision " + record.phalaRevision + " keeps no sealed env");
    }
    return Optional.empty();
  }

  /**
   * The revision the CVMs run, from their history newest first: the newest entry of any of them is
   * what that CVM was last given, and counts only if the CVM reports its compose hash. Empty when
   * none of them appears, or the newest does not match (something else changed it).
   */
  static Optional<AppRevision> running(List<AppRevision> newestFirst, List<Cvm> cvms) {
    Map<String, String> composeByVm = new HashMap<>();
    cvms.forEach(c -> composeByVm.put(uuid(c.vmUuid()), c.composeHash()));
    return newestFirst.stream()
        .filter(r -> composeByVm.containsKey(uuid(r.vmUuid())))
        .findFirst()
        .filter(r -> sameHex(r.composeHash(), composeByVm.get(uuid(r.vmUuid()))));
  }

  /** Whether any of {@code revisions} is of one of {@code cvms}: the history need not go on. */
  public static boolean mentionsAny(List<AppRevision> revisions, List<Cvm> cvms) {
    List<String> uuids = cvms.stream().map(c -> uuid(c.vmUuid())).toList();
    return revisions.stream().anyMatch(r -> uuids.contains(uuid(r.vmUuid())));
  }

  private String tag(PhalaApp app, String appId, String lastGoodRevision, RollbackRecord record) {
    return keys.tag(
        List.of(
            "rollback",
            app.getMetadata().getNamespace(),
            app.getMetadata().getName(),
            String.valueOf(app.getMetadata().getUid()),
            normal(appId),
            lastGoodRevision,
            record.composeRevision,
            record.phalaRevision,
            normal(record.composeHash)));
  }

  private static boolean sameHex(String a, String b) {
    return a != null && b != null && normal(a).equals(normal(b));
  }

  private static String normal(String hex) {
    String lower = hex.toLowerCase(Locale.ROOT);
    return lower.startsWith("0x") ? lower.substring(2) : lower;
  }

  /** VM UUIDs compare without dashes, in lower case. */
  private static String uuid(String vmUuid) {
    return vmUuid == null ? "" : vmUuid.replace("-", "").toLowerCase(Locale.ROOT);
  }
}
