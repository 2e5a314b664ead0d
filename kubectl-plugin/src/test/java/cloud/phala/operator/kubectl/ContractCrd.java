package cloud.phala.operator.kubectl;

import static java.util.Map.entry;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The committed PhalaApp CRD plus the day-two fields the plugin writes and reads (the contract with
 * the operator, see {@link OpsFields}), for tests that run before the CRD carries them. Adds only
 * the fields it lacks: with a CRD that has them all, it applies the CRD unchanged.
 */
final class ContractCrd {
  private ContractCrd() {}

  static void install(KubernetesClient admin) throws IOException {
    install(admin, true);
  }

  /**
   * {@code withContract} false: the CRD of an operator older than the plugin, without the day-two
   * fields (removed where the committed CRD already has them).
   */
  static void install(KubernetesClient admin, boolean withContract) throws IOException {
    CustomResourceDefinition crd;
    try (InputStream in =
        ContractCrd.class
            .getClassLoader()
            .getResourceAsStream("META-INF/fabric8/phalaapps.phala.cloud-v1.yml")) {
      crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
    }
    JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    JSONSchemaProps spec = root.getProperties().get("spec");
    JSONSchemaProps status = root.getProperties().get("status");
    if (!withContract) {
      spec.getProperties().remove("restartAt");
      spec.getProperties().get("rollout").getProperties().remove("retryAt");
      spec.getProperties().get("rollout").getProperties().remove("pinnedRevision");
      List.of("revision", "restartedAt", "history").forEach(status.getProperties()::remove);
      status.getProperties().get("rollout").getProperties().remove("failedAt");
      apply(admin, crd);
      return;
    }
    add(spec, Map.of("restartAt", string()));
    add(
        spec.getProperties().get("rollout"),
        Map.of("retryAt", string(), "pinnedRevision", integer()));
    add(
        status,
        Map.ofEntries(
            entry("revision", integer()),
            entry("restartedAt", string()),
            entry(
                "history",
                new JSONSchemaPropsBuilder()
                    .withType("array")
                    .withItems(
                        new io.fabric8.kubernetes.api.model.apiextensions.v1
                                .JSONSchemaPropsOrArrayBuilder()
                            .withSchema(
                                new JSONSchemaPropsBuilder()
                                    .withType("object")
                                    .addToProperties("revision", integer())
                                    .addToProperties("envRevision", string())
                                    .addToProperties("phalaRevision", string())
                                    .addToProperties("composeHash", string())
                                    .addToProperties("envKeys", strings())
                                    .addToProperties("changedKeys", strings())
                                    .addToProperties("rolledOutAt", string())
                                    .build())
                            .build())
                    .build())));
    add(status.getProperties().get("rollout"), Map.of("failedAt", string()));
    apply(admin, crd);
  }

  private static void apply(KubernetesClient admin, CustomResourceDefinition crd) {
    admin.resource(crd).fieldManager("phala-test-support").forceConflicts().serverSideApply();
    admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            60,
            TimeUnit.SECONDS);
  }

  private static void add(JSONSchemaProps object, Map<String, JSONSchemaProps> fields) {
    fields.forEach((name, schema) -> object.getProperties().putIfAbsent(name, schema));
  }

  private static JSONSchemaProps string() {
    return new JSONSchemaPropsBuilder().withType("string").build();
  }

  private static JSONSchemaProps integer() {
    return new JSONSchemaPropsBuilder().withType("integer").build();
  }

  private static JSONSchemaProps strings() {
    return new JSONSchemaPropsBuilder()
        .withType("array")
        .withNewItems()
        .withSchema(string())
        .endItems()
        .build();
  }
}
