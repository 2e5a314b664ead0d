package cloud.phala.operator.kubectl;

import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** PhalaApps written straight to the API server, with a status the test chooses. */
final class TestApps {
  static final ResourceDefinitionContext PHALA_APPS =
      ResourceDefinitionContext.fromResourceType(PhalaApp.class);

  private TestApps() {}

  /** A 3-replica app with an inline compose, as a user would apply it. */
  static GenericKubernetesResource create(KubernetesClient admin, String namespace, String name) {
    String yaml =
        """
        apiVersion: phala.cloud/v1alpha1
        kind: PhalaApp
        metadata:
          name: %s
        spec:
          replicas: 3
          compose:
            inline: "services: {web: {image: nginx}}"
          envFrom:
            - secretRef: {name: %s-keys}
          rollout:
            maxUnavailable: 1
        """
            .formatted(name, name);
    GenericKubernetesResource app = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    return admin
        .genericKubernetesResources(PHALA_APPS)
        .inNamespace(namespace)
        .resource(app)
        .create();
  }

  static Resource<GenericKubernetesResource> app(
      KubernetesClient admin, String namespace, String name) {
    return admin.genericKubernetesResources(PHALA_APPS).inNamespace(namespace).withName(name);
  }

  /** Replaces the app's status through the status subresource, as the operator writes it. */
  static GenericKubernetesResource writeStatus(
      KubernetesClient admin, String namespace, String name, Map<String, Object> status) {
    GenericKubernetesResource app = app(admin, namespace, name).get();
    app.setAdditionalProperty("status", status);
    return admin
        .genericKubernetesResources(PHALA_APPS)
        .inNamespace(namespace)
        .resource(app)
        .updateStatus();
  }

  /** The object without what every write changes (resourceVersion, generation, managedFields). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> comparable(GenericKubernetesResource app) {
    Map<String, Object> copy = Serialization.jsonMapper().convertValue(app, LinkedHashMap.class);
    Map<String, Object> metadata = (Map<String, Object>) copy.get("metadata");
    metadata.remove("resourceVersion");
    metadata.remove("generation");
    metadata.remove("managedFields");
    return copy;
  }

  /** Waits until the API server keeps the contract fields (a new CRD schema takes a moment). */
  static void awaitContractSchema(KubernetesClient admin, String namespace) {
    awaitSchema(admin, namespace, true);
  }

  /** Waits until the API server keeps ({@code kept}) or prunes spec.restartAt. */
  @SuppressWarnings("unchecked")
  static void awaitSchema(KubernetesClient admin, String namespace, boolean kept) {
    String name = "schema-probe";
    create(admin, namespace, name);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              GenericKubernetesResource probe =
                  app(admin, namespace, name)
                      .edit(
                          a -> {
                            ((Map<String, Object>) a.getAdditionalProperties().get("spec"))
                                .put("restartAt", "2026-01-01T00:00:00Z");
                            return a;
                          });
              return ((Map<?, ?>) probe.getAdditionalProperties().get("spec"))
                      .containsKey("restartAt")
                  == kept;
            });
    app(admin, namespace, name).delete();
  }
}
