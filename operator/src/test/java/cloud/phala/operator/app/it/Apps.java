package cloud.phala.operator.app.it;

import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.crypto.EnvVar;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Builds PhalaApps and Secrets for the operator's ITs, and waits on their status. */
final class Apps {
  static final String COMPOSE =
      "services:\n  api:\n    image: nginx\n    environment:\n      - DATABASE_URL=${DATABASE_URL}\n      - API_TOKEN=${API_TOKEN}\n";

  private final KubernetesClient client;
  private final String namespace;

  Apps(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  void secret(String name, Map<String, String> data) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(data)
                .build())
        .serverSideApply();
  }

  PhalaApp create(String name, int replicas, Consumer<PhalaAppSpec> customize) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName(name);
    app.getMetadata().setNamespace(namespace);
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.replicas = replicas;
    spec.compose = new ContentSource();
    spec.compose.inline = COMPOSE;
    spec.env =
        List.of(fromSecret("DATABASE_URL", "db", "url"), fromSecret("API_TOKEN", "api", "token"));
    customize.accept(spec);
    app.setSpec(spec);
    return client.resource(app).create();
  }

  /**
   * A 1-replica app on DATABASE_URL and API_TOKEN from Secrets {@code name}-db and {@code name}-api
   * (token {@code name}-token), once it runs them.
   */
  PhalaAppStatus running(String name) {
    secret(name + "-db", Map.of("url", "postgres://" + name));
    secret(name + "-api", Map.of("token", name + "-token"));
    create(
        name,
        1,
        spec ->
            spec.env =
                List.of(
                    fromSecret("DATABASE_URL", name + "-db", "url"),
                    fromSecret("API_TOKEN", name + "-api", "token")));
    return awaitStatus(name, s -> upToDate(s, 1) && condition(s, "Progressing", "False"));
  }

  static EnvVarSource fromSecret(String name, String secret, String key) {
    EnvVarSource var = new EnvVarSource();
    var.name = name;
    var.valueFrom = new EnvVarSource.ValueFrom();
    var.valueFrom.secretKeyRef = new SecretKeySelector();
    var.valueFrom.secretKeyRef.name = secret;
    var.valueFrom.secretKeyRef.key = key;
    return var;
  }

  /** Edits the spec as a user would, again on a conflict with the operator's status writes. */
  void edit(String name, Consumer<PhalaApp> change) {
    againOnConflict(
        () ->
            resource(name)
                .edit(
                    app -> {
                      change.accept(app);
                      return app;
                    }));
  }

  /** Edits the status as anyone allowed to patch {@code phalaapps/status} can. */
  void editStatus(String name, Consumer<PhalaAppStatus> change) {
    againOnConflict(
        () ->
            resource(name)
                .editStatus(
                    app -> {
                      change.accept(app.getStatus());
                      return app;
                    }));
  }

  private Resource<PhalaApp> resource(String name) {
    return client.resources(PhalaApp.class).inNamespace(namespace).withName(name);
  }

  private static void againOnConflict(Callable<PhalaApp> write) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(write, written -> true);
  }

  PhalaApp get(String name) {
    return resource(name).get();
  }

  /** Waits for a status; on timeout the failure shows the last status (it holds no values). */
  PhalaAppStatus awaitStatus(String name, Predicate<PhalaAppStatus> condition) {
    try {
      return await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> get(name) == null ? null : get(name).getStatus(),
              s -> s != null && condition.test(s));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      PhalaApp last = get(name);
      throw new AssertionError(
          "status of "
              + name
              + " never matched; last: "
              + (last == null
                  ? "no such PhalaApp"
                  : io.fabric8.kubernetes.client.utils.Serialization.asYaml(last.getStatus())),
          e);
    }
  }

  /**
   * All {@code replicas} CVMs run the desired revision ({@code status.updatedReplicas},
   * UP-TO-DATE): what these tests await when a rollout is done. READY ({@code status.ready}) counts
   * serving CVMs on any revision, as a Deployment's does.
   */
  static boolean upToDate(PhalaAppStatus status, int replicas) {
    return status.updatedReplicas != null && status.updatedReplicas == replicas;
  }

  static boolean condition(PhalaAppStatus status, String type, String value) {
    return status.conditions != null
        && status.conditions.stream()
            .anyMatch(c -> type.equals(c.getType()) && value.equals(c.getStatus()));
  }

  /** The fewest CVMs serving at any point after all {@code replicas} first served. */
  static int minServingOnceAllServed(
      java.util.List<cloud.phala.operator.simulator.cloud.AvailabilityPoint> timeline,
      int replicas) {
    return timeline.stream()
        .dropWhile(p -> p.serving() < replicas)
        .mapToInt(cloud.phala.operator.simulator.cloud.AvailabilityPoint::serving)
        .min()
        .orElseThrow();
  }

  static Map<String, String> booted(PhalaSimulator simulator, String vmUuid) {
    Map<String, String> env = new LinkedHashMap<>();
    CvmSnapshot cvm = simulator.world().get(vmUuid);
    for (EnvVar var : cvm.bootedEnv()) {
      env.put(var.key(), var.value());
    }
    return env;
  }
}
