package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.resolve.SourceLookup;
import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvFromSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The user's side of the cluster: one PhalaApp and the Secrets it reads, as the informer caches
 * would show them. DATABASE_URL comes from Secret {@value #DB} (key url), every key of Secret
 * {@value #KEYS} with prefix {@value #PREFIX}, and LOG_LEVEL is a literal. Values are canaries:
 * they must never show in anything the operator or this harness prints.
 */
final class UserCluster {
  static final String NAMESPACE = "team-a";
  static final String NAME = "payments";
  static final String DB = "db";
  static final String KEYS = "keys";
  static final String PREFIX = "API_";

  private final String canarySalt;
  private final Map<String, Map<String, String>> secrets = new TreeMap<>();
  private SpecShape shape = SpecShape.INITIAL;
  private final Pacing pacing;
  private long generation = 1;
  private String restartAt;
  private String retryAt;
  private Integer pinnedRevision;
  private String osImage;
  private List<Integer> placement;

  UserCluster(long seed) {
    this.canarySalt = Long.toHexString(seed);
    this.pacing = Pacing.of(seed);
    secrets.put(DB, new TreeMap<>(Map.of("url", canary(DB, "url", 0))));
    secrets.put(KEYS, new TreeMap<>(Map.of("TOKEN", canary(KEYS, "TOKEN", 0))));
  }

  /** Every canary starts with this: a test scans printed output for it. */
  static final String CANARY = "canary-";

  private String canary(String secret, String key, int version) {
    return CANARY + secret + "-" + key + "-" + version + "-" + canarySalt;
  }

  SpecShape shape() {
    return shape;
  }

  /** minReadySeconds and batchWindow, the same all through the history. */
  Pacing pacing() {
    return pacing;
  }

  void shape(SpecShape next) {
    if (!next.equals(shape)) {
      shape = next;
      generation++;
    }
  }

  /** spec.restartAt, spec.rollout.retryAt or spec.rollout.pinnedRevision (0: none) set to now. */
  void dayTwo(Step.DayTwo.Kind kind, java.time.Instant now, int pin) {
    switch (kind) {
      case RESTART -> restartAt = now.toString();
      case RETRY -> retryAt = now.toString();
      case PIN -> pinnedRevision = pin == 0 ? null : pin;
    }
    generation++;
  }

  /** spec.osImage (null: unset), as a user sets it. */
  void osImage(String image) {
    osImage = image;
    generation++;
  }

  /** spec.placement.nodeIds (null: no spec.placement). */
  void placement(List<Integer> nodeIds) {
    placement = nodeIds;
    generation++;
  }

  /** The pin, if the spec has one: the operator then rolls to an earlier revision. */
  boolean pinned() {
    return pinnedRevision != null;
  }

  /**
   * Sets {@code key} of {@code secret} to its {@code version}th value; a negative one removes it.
   */
  void secretKey(String secret, String key, int version) {
    Map<String, String> data = secrets.computeIfAbsent(secret, s -> new TreeMap<>());
    if (version < 0) {
      data.remove(key);
    } else {
      data.put(key, canary(secret, key, version));
    }
  }

  /**
   * The whole env the spec and Secrets ask for now, or empty when a referenced key is missing (the
   * operator must then deploy nothing new).
   */
  Optional<Map<String, String>> desiredEnv() {
    String url = secrets.getOrDefault(DB, Map.of()).get("url");
    if (url == null) {
      return Optional.empty();
    }
    Map<String, String> env = new TreeMap<>();
    secrets.getOrDefault(KEYS, Map.of()).forEach((k, v) -> env.put(PREFIX + k, v));
    env.put("DATABASE_URL", url);
    env.put("LOG_LEVEL", "info");
    return Optional.of(env);
  }

  /** A fresh copy of the PhalaApp as the operator's cache shows it, with {@code status}. */
  PhalaApp app(PhalaAppStatus status) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName(NAME);
    app.getMetadata().setNamespace(NAMESPACE);
    app.getMetadata().setUid("uid-" + canarySalt);
    app.getMetadata().setGeneration(generation);
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.replicas = shape.replicas();
    spec.compose = new ContentSource();
    spec.compose.inline = shape.compose();
    if (shape.preLaunchScript() != null) {
      spec.preLaunchScript = new ContentSource();
      spec.preLaunchScript.inline = shape.preLaunchScript();
    }
    EnvVarSource literal = new EnvVarSource();
    literal.name = "LOG_LEVEL";
    literal.value = "info";
    EnvVarSource db = new EnvVarSource();
    db.name = "DATABASE_URL";
    db.valueFrom = new EnvVarSource.ValueFrom();
    db.valueFrom.secretKeyRef = new SecretKeySelector();
    db.valueFrom.secretKeyRef.name = DB;
    db.valueFrom.secretKeyRef.key = "url";
    spec.env = List.of(literal, db);
    EnvFromSource keys = new EnvFromSource();
    keys.prefix = PREFIX;
    keys.secretRef = new EnvFromSource.NamedRef();
    keys.secretRef.name = KEYS;
    spec.envFrom = List.of(keys);
    spec.rollout = shape.rollout();
    spec.restartAt = restartAt;
    spec.rollout.retryAt = retryAt;
    spec.rollout.pinnedRevision = pinnedRevision;
    spec.minReadySeconds = pacing.minReadySeconds();
    spec.rollout.batchWindow = pacing.batchWindow();
    spec.osImage = osImage;
    if (placement != null) {
      spec.placement = new cloud.phala.operator.crd.Placement();
      spec.placement.nodeIds = placement;
    }
    app.setSpec(spec);
    app.setStatus(status);
    return app;
  }

  SourceLookup lookup() {
    return new SourceLookup() {
      @Override
      public Optional<Secret> secret(String name) {
        Map<String, String> data = secrets.get(name);
        return Optional.ofNullable(data)
            .map(
                d ->
                    new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(NAMESPACE)
                        .endMetadata()
                        .withStringData(new TreeMap<>(d))
                        .build());
      }

      @Override
      public Optional<ConfigMap> configMap(String name) {
        return Optional.empty();
      }
    };
  }
}
