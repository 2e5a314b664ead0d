package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.cloud.CloudClients;
import cloud.phala.operator.app.cloud.Credentials;
import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.cloud.SharedCvmListing;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.config.Shard;
import cloud.phala.operator.app.config.Throughput;
import cloud.phala.operator.app.journal.GroupCommit;
import cloud.phala.operator.app.journal.JournalEntry;
import cloud.phala.operator.app.journal.JournalKey;
import cloud.phala.operator.app.journal.JournalOverlay;
import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.status.DeferrableStatus;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.app.sync.AppSync;
import cloud.phala.operator.app.sync.SyncResult;
import cloud.phala.operator.app.sync.decide.CvmRecord;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One operator process: the real {@link AppSync} wired as {@code OperatorRuntime} wires it, with
 * its own caches (CVM listing, verified env keys, clients), on the simulated cloud and the
 * in-memory cluster. A pass is what {@code PhalaAppReconciler.reconcile} does: the status store's
 * copy in (or the status it held back, if the store still holds what it was held against),
 * checkpoints and the final status (only if it changed and cannot wait) out, and the next poll.
 */
final class OperatorInstance {
  static final Duration PROGRESS_POLL = Duration.ofSeconds(2);
  static final Duration STEADY_POLL = Duration.ofSeconds(60);
  static final String OPERATOR_NAMESPACE = "phala-system";
  static final OperatorConfig.SecretKeyRef DEFAULT_CREDENTIALS =
      new OperatorConfig.SecretKeyRef(OPERATOR_NAMESPACE, "phala-api", "apiKey");

  private final AppSync sync;
  private final UserCluster cluster;
  private final StatusStore store;
  private final SimulatedCloud cloud;
  private final ReadGuard readGuard;
  private final BusyGuard busyGuard;

  /** A final status held back, as StatusWrites holds it; this process forgets it when it dies. */
  private PhalaAppStatus held;

  private PhalaAppStatus heldAgainst;

  /** The intent journal (null: off) and this process's group commit to it. */
  private final JournalStore journal;

  private final GroupCommit commit = JournalStore.process();

  OperatorInstance(
      SimulatedCloud cloud,
      UserCluster cluster,
      StatusStore store,
      OperatorState kept,
      CrashPlan crashes,
      EventRecorder.Sink events,
      JournalStore journal) {
    this.journal = journal;
    this.cluster = cluster;
    this.store = store;
    this.cloud = cloud;
    this.busyGuard =
        new BusyGuard(
            cloud.simulator().world(),
            cloud.others(),
            crashes,
            new MinReadyGuard(cloud.simulator().world(), cloud.others(), cluster));
    this.readGuard = new ReadGuard(busyGuard);
    OperatorConfig config = config();
    Secret defaultSecret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(DEFAULT_CREDENTIALS.name())
            .withNamespace(OPERATOR_NAMESPACE)
            .endMetadata()
            .withStringData(Map.of(DEFAULT_CREDENTIALS.key(), cloud.apiKey()))
            .build();
    Ownerships owners =
        new Ownerships(
            kept.records(), kept.apiKeys(), kept.grants(), "k8s-sim", OPERATOR_NAMESPACE);
    this.sync =
        new AppSync(
            config,
            new Credentials(config, () -> Optional.of(defaultSecret), () -> {}),
            new CloudClients(cloud::client),
            new EnvKeyTrust(List.of(), kept.kmsRoots(), false),
            kept.revision(),
            new EventRecorder(events),
            new SharedCvmListing(cloud.clock(), STEADY_POLL),
            cloud.clock(),
            readGuard,
            owners);
  }

  /**
   * One pass; returns when the reconciler would look again. Throws {@link CrashPlan.OperatorCrash}
   * when the process dies in it, and {@link StatusStore.LostWrite} when a status write fails.
   */
  PassReport pass() {
    PhalaApp app = cluster.app(store.read());
    if (held != null && store.holds(heldAgainst)) {
      app.setStatus(Serialization.jsonMapper().convertValue(held, PhalaAppStatus.class));
    }
    JournalKey key =
        new JournalKey(
            app.getMetadata().getNamespace(),
            app.getMetadata().getName(),
            app.getMetadata().getUid());
    long[] known = {0};
    if (journal != null) {
      JournalEntry entry = journal.entry(key);
      known[0] = entry == null ? 0 : entry.seq();
      app.setStatus(JournalOverlay.overlay(app.getStatus(), entry));
    }
    readGuard.passBegins();
    busyGuard.passBegins();
    cloud.guardedBy(readGuard, busyGuard);
    SyncResult result =
        sync.sync(
            app,
            cluster.lookup(),
            status -> {
              held = null;
              store.write(status);
              app.setStatus(status);
              subsumed(key, known[0]);
            },
            journal == null
                ? null
                : (intents, checkpoint) -> journalWrite(key, intents, checkpoint, known));
    if (store.holds(result.status())) {
      held = null;
      subsumed(key, known[0]);
    } else if (DeferrableStatus.mayWait(store.peek(), result.status())) {
      held = result.status();
      heldAgainst = store.read();
    } else {
      held = null;
      store.write(result.status());
      subsumed(key, known[0]);
    }
    if (journal != null) {
      journal.dropsIfAny(commit);
    }
    return new PassReport(app.getSpec(), result, result.next(PROGRESS_POLL, STEADY_POLL));
  }

  private boolean journalWrite(
      JournalKey key, Map<String, CvmRecord> records, PhalaAppStatus checkpoint, long[] known) {
    Map<String, JournalEntry.Intended> out = new java.util.LinkedHashMap<>();
    records.forEach(
        (cvm, r) ->
            out.put(
                cvm,
                new JournalEntry.Intended(
                    r.intent().revision(),
                    r.intent().composeRevision(),
                    r.intent().since().toString(),
                    r.revision(),
                    r.composeRevision(),
                    r.givenAt() == null ? null : r.givenAt().toString())));
    OptionalLong seq = journal.write(commit, key, out, checkpoint);
    seq.ifPresent(s -> known[0] = Math.max(known[0], s));
    return seq.isPresent();
  }

  private void subsumed(JournalKey key, long known) {
    if (journal != null && known > 0) {
      commit.subsumed(key, known);
    }
  }

  /** What a pass saw and arrived at, and when the reconciler looks again. */
  record PassReport(
      cloud.phala.operator.crd.PhalaAppSpec spec, SyncResult result, Duration nextPoll) {}

  /**
   * What outlives an operator process, as it lives in Kubernetes: the revision key, the app
   * records, API key copies, adoption grants and KMS roots.
   */
  record OperatorState(
      Revision revision,
      InMemoryAppRecords records,
      InMemoryApiKeys apiKeys,
      cloud.phala.operator.app.owner.AdoptionGrantStore grants,
      InMemoryKmsRoots kmsRoots) {
    static OperatorState fresh(long seed) {
      byte[] key = new byte[32];
      new java.util.Random(seed).nextBytes(key);
      return new OperatorState(
          new Revision(key),
          new InMemoryAppRecords(),
          new InMemoryApiKeys(),
          new NoAdoptionGrants(),
          new InMemoryKmsRoots());
    }
  }

  private static OperatorConfig config() {
    return new OperatorConfig(
        SimulatedCloud.API_URL,
        Optional.of(DEFAULT_CREDENTIALS),
        Set.of("*"),
        Set.of(),
        List.of(),
        false,
        Optional.of("kms-sim-1"),
        4,
        OPERATOR_NAMESPACE,
        Optional.empty(),
        0,
        PROGRESS_POLL,
        STEADY_POLL,
        false,
        "sim",
        Duration.ofSeconds(15),
        false,
        Shard.ALL,
        Throughput.DEFAULT,
        Optional.empty());
  }
}
