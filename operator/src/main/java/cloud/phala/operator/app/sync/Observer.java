package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.cloud.CloudClients;
import cloud.phala.operator.app.cloud.Credentials;
import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.app.resolve.EnvResolver;
import cloud.phala.operator.app.resolve.OperatorSecrets;
import cloud.phala.operator.app.resolve.RecordingLookup;
import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.resolve.SourceLookup;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.app.sync.decide.Decider;
import cloud.phala.operator.app.sync.decide.Desired;
import cloud.phala.operator.app.sync.decide.EffectiveSpec;
import cloud.phala.operator.app.sync.decide.ListedReads;
import cloud.phala.operator.app.sync.decide.Observation;
import cloud.phala.operator.app.sync.decide.Observation.Cloud;
import cloud.phala.operator.app.sync.decide.Observation.Lookup;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.cloud.dstack.DstackVerifierClient;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Observe: every read of one pass, Kubernetes (from the informers' caches and the operator's own
 * records) and Phala Cloud, into one {@link Observation}. It stops reading where the pass cannot go
 * on. It writes nothing, except that a KMS root key seen for the first time is recorded as it is
 * read (trust on first use, in {@link EnvKeyTrust}).
 */
final class Observer {
  /** What observe read, with what act needs to reach the app: its client and own API key. */
  record Observed(Observation observation, PhalaCloudClient client, Optional<String> ownApiKey) {}

  private final OperatorConfig config;
  private final Credentials credentials;
  private final CloudClients clients;
  private final EnvKeyTrust keyTrust;
  private final Revision revision;
  private final Ownerships owners;
  private final CvmObservation cvms;
  private final StateReads stateReads;
  private final RevisionHistory history;
  private final Provisions provisions;
  private final Decider decider;
  private final Clock clock;
  private final AppChains chains = new AppChains();
  private final Optional<DstackVerifierClient> dstack;

  Observer(
      OperatorConfig config,
      Credentials credentials,
      CloudClients clients,
      EnvKeyTrust keyTrust,
      Revision revision,
      Ownerships owners,
      CvmObservation cvms,
      Provisions provisions,
      Decider decider,
      Clock clock) {
    this.config = config;
    this.credentials = credentials;
    this.clients = clients;
    this.keyTrust = keyTrust;
    this.revision = revision;
    this.owners = owners;
    this.cvms = cvms;
    this.stateReads = new StateReads(clock);
    this.history = new RevisionHistory();
    this.provisions = provisions;
    this.decider = decider;
    this.clock = clock;
    this.dstack =
        config.dstackVerifierUrl().map(u -> new DstackVerifierClient(u, DstackQuotes.TIMEOUT));
  }

  Observed observe(PhalaApp app, SourceLookup lookup) {
    Partial seen = new Partial(app, clock.instant());
    Optional<String> own = OperatorSecrets.referencedBy(app, lookup, config.defaultCredentials());
    if (own.isPresent()) {
      return seen.operatorSecret(own).done(null, Optional.empty());
    }
    RecordingLookup read = new RecordingLookup(lookup);
    Resolution resolution = EnvResolver.resolve(app.getSpec(), read);
    seen.sources = resolution;
    if (!(resolution instanceof Resolution.Resolved resolved)) {
      return seen.done(null, Optional.empty());
    }
    seen.inputs = new PhalaAppStatus.ObservedInputs();
    seen.inputs.generation = app.getMetadata().getGeneration();
    seen.inputs.secrets = read.secrets().isEmpty() ? null : read.secrets();
    seen.inputs.configMaps = read.configMaps().isEmpty() ? null : read.configMaps();
    Revision bound = revision.forApp(app.getMetadata().getNamespace(), app.getMetadata().getName());
    seen.desired = Desired.of(app.getSpec(), resolved, bound);
    seen.earlierNames = seen.desired.earlierNames(revision, resolved);
    Credentials.Outcome credential = credentials.apiKeyFor(app, lookup::secret);
    if (credential.apiKey().isEmpty()) {
      seen.apiKeyProblem = Optional.of(credential.problem());
      return seen.done(null, Optional.empty());
    }
    PhalaCloudClient client = clients.forKey(credential.apiKey().get());
    Optional<String> ownApiKey =
        app.getSpec().credentialsSecretRef == null ? Optional.empty() : credential.apiKey();
    try {
      cloud(seen, client);
    } catch (PhalaApiException | PhalaTransportException e) {
      seen.cloudProblem = Optional.of(e.getMessage());
    }
    return seen.done(client, ownApiKey);
  }

  private void cloud(Partial seen, PhalaCloudClient client) {
    PhalaApp app = seen.app;
    seen.cvmName = owners.cvmName(app);
    seen.claim = owners.claim(app, () -> NamedApp.of(client, seen.cvmName));
    if (seen.claim instanceof Claim.Refused) {
      return;
    }
    boolean verify = EffectiveSpec.of(app.getSpec()).verifyPublicKey();
    if (seen.claim instanceof Claim.Owned owned) {
      seen.kmsId = KmsChoice.of(app.getSpec(), owned.kmsId(), config, client::kmsList).orElse(null);
      String appId = owned.appId();
      List<Cvm> listed = cvms.of(client, appId, app.getStatus(), seen.desired);
      if (listed.isEmpty() && seen.desired.replicas() > 0) {
        Optional<Claim.Owned> named = NamedApp.elsewhere(app, owned, client, seen.cvmName);
        if (named.isPresent()) {
          seen.claim = named.get();
          appId = named.get().appId();
          listed = client.appCvms(appId);
        }
      }
      seen.listedAt = clock.instant();
      if (!listed.isEmpty() || seen.desired.replicas() == 0) {
        seen.cloud = appCloud(seen, client, appId, listed, verify);
        return;
      }
    }
    seen.cloud = firstDeploy(client, app, seen.desired, verify);
  }

  /** The app's CVMs, the key to seal to and, when the decision will need them, more reads. */
  private Cloud appCloud(
      Partial seen, PhalaCloudClient client, String appId, List<Cvm> listed, boolean verify) {
    String reportedKey = listed.isEmpty() ? null : listed.get(0).envPublicKey();
    EnvKeyTrust.Outcome key =
        seen.kmsId == null
            ? new EnvKeyTrust.Outcome(
                Optional.empty(),
                null,
                false,
                Reason.KMS_UNAVAILABLE,
                KmsChoice.missing(seen.app.getSpec()))
            : keyTrust.resolve(client, seen.kmsId, appId, verify, reportedKey);
    Map<String, Instant> readAt = new LinkedHashMap<>();
    Map<String, CvmState> states = new LinkedHashMap<>();
    PhalaAppStatus previous = seen.app.getStatus();
    stateReads.ofIntents(client, listed, previous, states, readAt);
    Map<String, Instant> none = Map.of();
    Lookup<List<String>> images = Lookup.notAsked();
    Lookup<List<AvailableNode>> nodes = Lookup.notAsked();
    Cloud intents = Cloud.listed(listed, key, states, readAt, none, seen.listedAt, images, nodes);
    ListedReads needed = decider.listedReads(seen.observation(intents));
    if (needed.osImages()) {
      images = OsImageRead.of(client, listed, seen.desired.osImage());
    }
    if (needed.nodes()) {
      nodes = PlacementRead.of(client, seen.app, listed, seen.desired);
    }
    if (needed.bootErrors()) {
      stateReads.ofFailedBoots(client, listed, states, readAt);
    }
    Map<String, Instant> changedAt =
        history.lastChanges(client, appId, failedBeforeAndAfter(states, previous));
    Cloud cloud =
        Cloud.listed(listed, key, states, readAt, changedAt, seen.listedAt, images, nodes)
            .withOnChain(OnChainRead.of(client, seen.app, appId, nodes, chains, seen.now));
    if (key.key().isEmpty()) {
      return cloud;
    }
    Decider.OptionalReads reads = decider.optionalReads(seen.observation(cloud));
    Cloud read =
        cloud.withReads(
            reads.rollbackRevision()
                ? history.rollbackRevision(client, appId, seen.app)
                : Lookup.notAsked(),
            reads.history() ? history.newestFirst(client, appId, listed) : Lookup.notAsked(),
            reads
                .pinnedRevision()
                .map(revisionId -> history.revision(client, appId, revisionId))
                .orElse(Lookup.notAsked()));
    List<String> attest = decider.attestationsWanted(seen.observation(read));
    return attest.isEmpty()
        ? read
        : read.withAttestations(
            AttestationReads.of(
                client, dstack, seen.app.getSpec().attestation, appId, listed, attest));
  }

  /** No CVM to copy: a provision made earlier for this compose, and its app's key, if any. */
  private Cloud firstDeploy(
      PhalaCloudClient client, PhalaApp app, Desired desired, boolean verify) {
    Optional<Provisioned> made = provisions.of(app, desired.composeRevision());
    if (made.isEmpty()) {
      return Cloud.noApp(Optional.empty(), null, PlacementRead.of(client, app, List.of(), desired));
    }
    Provisioned p = made.get();
    String kmsId = p.kmsId() != null ? p.kmsId() : config.kmsId().orElse(null);
    Provisioned withKms =
        new Provisioned(p.appId(), p.composeHash(), p.envPublicKey(), kmsId, p.kmsRootKey());
    return Cloud.noApp(
        Optional.of(withKms), keyTrust.resolve(client, kmsId, p.appId(), verify, p.envPublicKey()));
  }

  /**
   * CVMs with an intent whose boot had failed when it was written and has failed now: whether the
   * step came through, only Phala Cloud's history can tell.
   */
  private static List<String> failedBeforeAndAfter(
      Map<String, CvmState> states, PhalaAppStatus previous) {
    if (previous == null || previous.cvms == null) {
      return List.of();
    }
    return states.entrySet().stream()
        .filter(e -> "error".equals(e.getValue().status()) && !e.getValue().inProgress())
        .map(Map.Entry::getKey)
        .filter(
            id ->
                previous.cvms.stream()
                    .anyMatch(
                        c -> id.equals(c.cvmId) && c.intent != null && "error".equals(c.phase)))
        .toList();
  }

  /** The app of the CVM with this installation's name for the PhalaApp, if there is one. */
  /** An observation being read, stage by stage. */
  private static final class Partial {
    final PhalaApp app;
    final Instant now;
    Optional<String> operatorSecret = Optional.empty();
    Resolution sources;
    Desired desired;
    PhalaAppStatus.ObservedInputs inputs;
    Map<String, String> earlierNames = Map.of();
    Optional<String> apiKeyProblem = Optional.empty();
    String cvmName;
    Claim claim;
    Instant listedAt;
    String kmsId;
    Cloud cloud;
    Optional<String> cloudProblem = Optional.empty();

    Partial(PhalaApp app, Instant now) {
      this.app = app;
      this.now = now;
    }

    Partial operatorSecret(Optional<String> name) {
      operatorSecret = name;
      return this;
    }

    Observation observation(Cloud withCloud) {
      return new Observation(
          app,
          app.getStatus(),
          now,
          operatorSecret,
          sources,
          desired,
          inputs,
          earlierNames,
          apiKeyProblem,
          cvmName,
          claim,
          kmsId,
          withCloud,
          cloudProblem);
    }

    Observed done(PhalaCloudClient client, Optional<String> ownApiKey) {
      return new Observed(observation(cloud), client, ownApiKey);
    }
  }
}
