package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Observations built by hand for decide's table tests: an app, its status, what Phala showed. */
final class Seen {
  static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  static final String APP_ID = "a".repeat(40);
  static final String KEY_HEX = "11".repeat(32);
  static final EnvKeyTrust.Outcome TRUSTED =
      new EnvKeyTrust.Outcome(
          Optional.of(EnvPublicKey.fromHex(KEY_HEX)),
          "root",
          true,
          Reason.SIGNATURE_VERIFIED,
          "ok");
  static final EnvKeyTrust.Outcome REFUSED =
      new EnvKeyTrust.Outcome(
          Optional.empty(),
          null,
          false,
          Reason.SIGNATURE_INVALID,
          "the app's env key is not signed");

  final PhalaApp app = new PhalaApp();
  final PhalaAppStatus status = new PhalaAppStatus();
  static final String COMPOSE =
      "services:\n  app:\n    image: nginx\n    environment:\n      TOKEN: ${TOKEN}\n";
  Resolution sources = new Resolution.Resolved(EnvSet.of(Map.of("TOKEN", "t")), COMPOSE, null);
  String revision = "rev-2";
  String composeRevision = "compose-1";
  Optional<String> operatorSecret = Optional.empty();
  Optional<String> apiKeyProblem = Optional.empty();
  Optional<String> cloudProblem = Optional.empty();
  Claim claim = new Claim.Owned(APP_ID, "kms-1", Optional.empty(), Optional.empty());
  final List<Cvm> cvms = new ArrayList<>();
  final Map<String, CvmState> states = new LinkedHashMap<>();
  final Map<String, Instant> changedAt = new LinkedHashMap<>();
  Optional<Provisioned> provisioned = Optional.empty();
  Instant listedAt = null;
  PhalaAppStatus.ObservedInputs inputs = inputs(3L, Map.of("db", "41"), Map.of());
  EnvKeyTrust.Outcome key = TRUSTED;
  Observation.Lookup<cloud.phala.operator.cloud.AppRevision> rollback =
      Observation.Lookup.notAsked();
  Observation.Lookup<List<cloud.phala.operator.cloud.AppRevision>> history =
      Observation.Lookup.notAsked();
  Observation.Lookup<cloud.phala.operator.cloud.AppRevision> pinned = Observation.Lookup.notAsked();
  final Map<String, AttestationVerdict> attestations = new LinkedHashMap<>();

  Seen() {
    app.getMetadata().setName("app");
    app.getMetadata().setNamespace("ns");
    app.getMetadata().setUid("uid-1");
    app.getMetadata().setGeneration(3L);
    app.setSpec(new PhalaAppSpec());
    app.getSpec().replicas = 1;
    status.appId = APP_ID;
    status.cvms = new ArrayList<>();
    app.setStatus(status);
  }

  static PhalaAppStatus.ObservedInputs inputs(
      Long generation, Map<String, String> secrets, Map<String, String> configMaps) {
    PhalaAppStatus.ObservedInputs inputs = new PhalaAppStatus.ObservedInputs();
    inputs.generation = generation;
    inputs.secrets = secrets.isEmpty() ? null : secrets;
    inputs.configMaps = configMaps.isEmpty() ? null : configMaps;
    return inputs;
  }

  Seen replicas(int replicas) {
    app.getSpec().replicas = replicas;
    return this;
  }

  Seen rollout(java.util.function.Consumer<Rollout> edit) {
    if (app.getSpec().rollout == null) {
      app.getSpec().rollout = new Rollout();
    }
    edit.accept(app.getSpec().rollout);
    return this;
  }

  /** A CVM Phala Cloud shows, recorded in status as given {@code givenRevision} (null: none). */
  Seen cvm(String id, String phalaStatus, boolean inProgress, String givenRevision) {
    cvms.add(
        new Cvm(
            id,
            id,
            "cvm-" + id,
            APP_ID,
            phalaStatus,
            inProgress,
            "hash-" + id,
            KEY_HEX,
            Optional.empty(),
            Optional.empty()));
    if (givenRevision != null) {
      PhalaAppStatus.CvmStatus recorded = new PhalaAppStatus.CvmStatus();
      recorded.cvmId = id;
      recorded.envRevision = givenRevision;
      recorded.composeRevision = composeRevision;
      recorded.updatedAt = NOW.minusSeconds(600).toString();
      status.cvms.add(recorded);
    }
    return this;
  }

  /** CVM {@code id} listed with {@code instanceId} (null: none listed). */
  Seen instance(String id, String instanceId) {
    cvms.replaceAll(c -> !c.vmUuid().equals(id) ? c : c.withInstanceId(instanceId));
    return this;
  }

  /** A step to {@code revision} recorded for CVM {@code id} a minute ago and not seen accepted. */
  Seen intent(String id, String revision) {
    PhalaAppStatus.Intent intent = new PhalaAppStatus.Intent();
    intent.envRevision = revision;
    intent.composeRevision = composeRevision;
    intent.since = NOW.minusSeconds(60).toString();
    status.cvms.stream().filter(c -> id.equals(c.cvmId)).findFirst().orElseThrow().intent = intent;
    return this;
  }

  Seen serving(String id, String givenRevision) {
    return cvm(id, "running", false, givenRevision);
  }

  Seen previousCondition(String type, String statusValue, String reason, String message) {
    if (status.conditions == null) {
      status.conditions = new ArrayList<>();
    }
    status.conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusValue)
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(NOW.minusSeconds(3600).toString())
            .build());
    return this;
  }

  /** The condition of {@code type} in a status. */
  static Condition condition(PhalaAppStatus status, String type) {
    return status.conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  Observation observation() {
    int replicas = app.getSpec().replicas;
    Desired desired =
        sources instanceof Resolution.Resolved resolved
            ? new Desired(
                new EnvPayload.Fresh(resolved.env()),
                resolved.compose(),
                resolved.preLaunchScript(),
                revision,
                composeRevision,
                replicas,
                RolloutSettings.from(app.getSpec().rollout, replicas))
            : null;
    boolean noApp = !(claim instanceof Claim.Owned) || (cvms.isEmpty() && replicas > 0);
    Observation.Cloud cloud =
        noApp
            ? Observation.Cloud.noApp(provisioned, provisioned.isPresent() ? key : null)
            : new Observation.Cloud(
                    List.copyOf(cvms),
                    Optional.empty(),
                    key,
                    Map.copyOf(states),
                    Map.of(),
                    Map.copyOf(changedAt),
                    rollback,
                    history,
                    pinned,
                    listedAt,
                    Observation.Lookup.notAsked(),
                    Observation.Lookup.notAsked())
                .withAttestations(attestations);
    return new Observation(
        app,
        status,
        NOW,
        operatorSecret,
        sources,
        desired,
        desired == null ? null : inputs,
        Map.of(),
        apiKeyProblem,
        "ns-app-cvm",
        claim,
        claim instanceof Claim.Owned owned ? owned.kmsId() : null,
        cloud,
        cloudProblem);
  }
}
