package cloud.phala.operator.app.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Secrets as External Secrets Operator and Sealed Secrets write them, with their owners (an
 * ExternalSecret, a SealedSecret) as real objects of minimal CRDs of those kinds. The shapes follow
 * the projects' sources, cited in docs/interop.md.
 */
final class ToolShapedSecrets {
  static final String ESO_VERSION = "external-secrets.io/v1";
  static final String SEALED_VERSION = "bitnami.com/v1alpha1";

  private final KubernetesClient client;
  private final String namespace;

  ToolShapedSecrets(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    crd("external-secrets.io", "v1", "ExternalSecret", "externalsecrets");
    crd("bitnami.com", "v1alpha1", "SealedSecret", "sealedsecrets");
  }

  /** An ExternalSecret (creationPolicy Owner, the default) whose target is a Secret of its name. */
  GenericKubernetesResource externalSecret(String name) {
    return owner(ESO_VERSION, "ExternalSecret", name, Map.of("target", Map.of("name", name)));
  }

  /** A SealedSecret; its encryptedData is opaque to everyone but the Sealed Secrets controller. */
  GenericKubernetesResource sealedSecret(String name) {
    return owner(
        SEALED_VERSION,
        "SealedSecret",
        name,
        Map.of("encryptedData", Map.of("opaque", "AgB" + name)));
  }

  /**
   * As ESO's ExternalSecret reconciler writes the target: a controller owner reference (with
   * blockOwnerDeletion, as controllerutil.SetControllerReference sets it), the managed and
   * created-by labels, and the data-hash annotation; {@code extraLabels}, {@code extraAnnotations}:
   * what the ExternalSecret's target template adds.
   */
  Secret externalSecretTarget(
      GenericKubernetesResource owner,
      Map<String, String> data,
      Map<String, String> extraLabels,
      Map<String, String> extraAnnotations) {
    Map<String, String> labels = new LinkedHashMap<>(extraLabels);
    labels.put("reconcile.external-secrets.io/managed", "true");
    labels.put("reconcile.external-secrets.io/created-by", md5(namespace + "/" + name(owner)));
    Map<String, String> annotations = new LinkedHashMap<>(extraAnnotations);
    annotations.put("reconcile.external-secrets.io/data-hash", dataHash(data));
    return secret(owner, data, labels, annotations, true);
  }

  /**
   * As Sealed Secrets' controller unseals: the template's metadata (here a namespace-wide scope),
   * and one controller owner reference to the SealedSecret, without blockOwnerDeletion.
   */
  Secret unsealed(
      GenericKubernetesResource owner, Map<String, String> data, Map<String, String> labels) {
    return secret(
        owner, data, labels, Map.of("sealedsecrets.bitnami.com/namespace-wide", "true"), false);
  }

  /** Creates or replaces {@code secret} (both tools write with create, then update). */
  Secret write(Secret secret) {
    Secret existing = client.secrets().inNamespace(namespace).withName(name(secret)).get();
    if (existing == null) {
      return client.secrets().inNamespace(namespace).resource(secret).create();
    }
    secret.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return client.secrets().inNamespace(namespace).resource(secret).update();
  }

  /**
   * What the garbage collector does once an owner is gone (the test API server runs no
   * kube-controller-manager): deletes the Secrets whose owner references name its uid.
   */
  void deleteAndCollect(GenericKubernetesResource owner) {
    client
        .genericKubernetesResources(owner.getApiVersion(), owner.getKind())
        .resource(owner)
        .delete();
    String uid = owner.getMetadata().getUid();
    for (Secret secret : client.secrets().inNamespace(namespace).list().getItems()) {
      if (secret.getMetadata().getOwnerReferences().stream()
          .anyMatch(r -> uid.equals(r.getUid()))) {
        client.secrets().inNamespace(namespace).resource(secret).delete();
      }
    }
  }

  private Secret secret(
      GenericKubernetesResource owner,
      Map<String, String> data,
      Map<String, String> labels,
      Map<String, String> annotations,
      boolean blockOwnerDeletion) {
    OwnerReference reference =
        new OwnerReferenceBuilder()
            .withApiVersion(owner.getApiVersion())
            .withKind(owner.getKind())
            .withName(name(owner))
            .withUid(owner.getMetadata().getUid())
            .withController(true)
            .withBlockOwnerDeletion(blockOwnerDeletion ? true : null)
            .build();
    Map<String, String> encoded = new TreeMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(owner))
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(reference)
        .endMetadata()
        .withType("Opaque")
        .withData(encoded)
        .build();
  }

  private GenericKubernetesResource owner(
      String apiVersion, String kind, String name, Map<String, Object> spec) {
    GenericKubernetesResource owner =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(apiVersion)
            .withKind(kind)
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withAdditionalProperties(Map.of("spec", spec))
            .build();
    return await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> client.genericKubernetesResources(apiVersion, kind).resource(owner).create(),
            created -> created.getMetadata().getUid() != null);
  }

  private void crd(String group, String version, String kind, String plural) {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName(plural + "." + group)
            .endMetadata()
            .withNewSpec()
            .withGroup(group)
            .withScope("Namespaced")
            .withNewNames()
            .withKind(kind)
            .withPlural(plural)
            .endNames()
            .addNewVersion()
            .withName(version)
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
  }

  /** ESO's utils.ObjectHash of a Secret's data: MD5 of Go's %v of a map[string][]byte. */
  static String dataHash(Map<String, String> data) {
    StringBuilder go = new StringBuilder("map[");
    new TreeMap<>(data)
        .forEach(
            (k, v) -> {
              if (go.length() > 4) {
                go.append(' ');
              }
              go.append(k).append(":[");
              byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
              for (int i = 0; i < bytes.length; i++) {
                go.append(i == 0 ? "" : " ").append(bytes[i] & 0xff);
              }
              go.append(']');
            });
    return md5(go.append(']').toString());
  }

  private static String md5(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String name(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return object.getMetadata().getName();
  }
}
