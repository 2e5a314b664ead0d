package cloud.phala.operator.app.sim;

import cloud.phala.operator.crypto.EnvVar;
import cloud.phala.operator.simulator.cloud.AppRevision;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything Phala Cloud carried out that gave a CVM an env (deploy, replica, update, redeploy),
 * from the simulator's own revision history, opened with the app's key: what was sealed, whatever
 * answer the operator got. Checks, for each, that it was a whole env the history asked for at some
 * point (nothing partial sealed) and that it did not give a CVM what it had already been given
 * while the desired revision stayed the same (no CVM restarted twice for one revision).
 */
final class GivenEnvs {
  private static final Set<String> GIVING = Set.of("deploy", "update", "redeploy");

  private final World world;
  private final OtherApps others;
  private final Map<String, Integer> read = new LinkedHashMap<>();
  private final Set<Map<String, String>> everDesired = new HashSet<>();
  private final Map<String, Fingerprint> lastGiven = new HashMap<>();
  private final Map<String, Set<Fingerprint>> givenThisEpoch = new HashMap<>();
  private final Map<String, Fingerprint> lastRevisionGiven = new HashMap<>();

  private final BatchWatch batch;
  private int given;

  GivenEnvs(World world, OtherApps others, BatchWatch batch) {
    this.world = world;
    this.others = others;
    this.batch = batch;
  }

  /** The history now asks for {@code env}: sealing it is allowed from now on. */
  void desired(Map<String, String> env) {
    everDesired.add(new TreeMap<>(env));
  }

  /** The desired revision changed: giving a CVM the same thing again is allowed once more. */
  void newEpoch() {
    givenThisEpoch.clear();
  }

  /**
   * A retry (spec.rollout.retryAt) gives each CVM that failed on a revision that revision again;
   * for a pinned revision that is a redeploy of the one the CVM was last given. Each CVM not
   * serving now may be so given once more.
   */
  void retried() {
    for (CvmSnapshot cvm : others.ours()) {
      if (!"running".equals(cvm.status()) || cvm.inProgress()) {
        lastRevisionGiven.remove(cvm.vmUuid().toString());
      }
    }
  }

  /** What a CVM was last given, if it was given anything. */
  Fingerprint lastGivenTo(String vmUuid) {
    return lastGiven.get(vmUuid);
  }

  int count() {
    return given;
  }

  Set<String> appIds() {
    return Collections.unmodifiableSet(read.keySet());
  }

  /** Reads what was carried out since the last call and checks it. */
  void catchUp(String statusAppId) {
    others.ourAppIds().forEach(id -> read.putIfAbsent(id, 0));
    if (statusAppId != null) {
      read.putIfAbsent(statusAppId, 0);
    }
    for (Map.Entry<String, Integer> app : read.entrySet()) {
      int total;
      try {
        total = world.revisions(app.getKey(), 0, 0).getValue();
      } catch (RuntimeException unknownApp) {
        continue;
      }
      int fresh = total - app.getValue();
      if (fresh <= 0) {
        continue;
      }
      List<AppRevision> newestFirst =
          new ArrayList<>(world.revisions(app.getKey(), 0, fresh).getKey());
      Collections.reverse(newestFirst);
      newestFirst.forEach(this::check);
      app.setValue(total);
    }
  }

  private void check(AppRevision revision) {
    if (!GIVING.contains(revision.operationType())) {
      return;
    }
    given++;
    Map<String, String> env = new TreeMap<>();
    for (EnvVar var : world.sealedEnvOf(revision)) {
      env.put(var.key(), var.value());
    }
    String cvm = revision.vmUuid().toString();
    if (!everDesired.contains(env)) {
      throw new Violation(
          "partial env sealed: CVM "
              + cvm
              + " was given env "
              + env.keySet()
              + " ("
              + revision.operationType()
              + "), which is no env the history ever asked for");
    }
    Fingerprint fingerprint =
        new Fingerprint(
            env, revision.compose().dockerComposeFile(), revision.compose().preLaunchScript());
    // a revision is the env with the app compose (whose hash covers allowed_envs and scripts)
    Fingerprint revisionGiven = new Fingerprint(env, revision.composeHash(), null);
    batch.given(revision, fingerprint);
    Set<Fingerprint> givenBefore = givenThisEpoch.computeIfAbsent(cvm, c -> new HashSet<>());
    // a redeploy (a rollback, a pin, a pinned retry) moves a CVM to what it may have run before,
    // once: never to what it was last given, unless a retry asked for that (see retried)
    boolean again =
        "redeploy".equals(revision.operationType())
            ? revisionGiven.equals(lastRevisionGiven.get(cvm))
            : givenBefore.contains(revisionGiven);
    givenBefore.add(revisionGiven);
    lastRevisionGiven.put(cvm, revisionGiven);
    if (again) {
      throw new Violation(
          "CVM "
              + cvm
              + " restarted twice for one revision ("
              + revision.operationType()
              + " of "
              + fingerprint
              + ") while the desired revision did not change");
    }
    lastGiven.put(cvm, fingerprint);
  }
}
