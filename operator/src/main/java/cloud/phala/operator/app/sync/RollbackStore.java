package cloud.phala.operator.app.sync;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.SealedEnv;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the last fully rolled-out revision of an app as ciphertext, in a Secret the PhalaApp owns
 * (deleted with it), so a Rollback can restore it when the plaintext is gone.
 */
public final class RollbackStore {
  private static final String SUFFIX = "-phala-rollback";
  private final KubernetesClient client;

  public RollbackStore(KubernetesClient client) {
    this.client = client;
  }

  /** A revision as it can be sent again: ciphertext and the non-secret parts. */
  record Kept(
      String revision,
      String composeRevision,
      String compose,
      String preLaunchScript,
      EnvPayload.Stored env) {}

  static String secretName(PhalaApp app) {
    return app.getMetadata().getName() + SUFFIX;
  }

  void save(PhalaApp app, Desired desired, EnvPublicKey key) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("revision", desired.revision());
    data.put("composeRevision", desired.composeRevision());
    data.put("compose", desired.compose());
    if (desired.preLaunchScript() != null) {
      data.put("preLaunchScript", desired.preLaunchScript());
    }
    data.put("envKeys", String.join(",", desired.env().keys()));
    data.put("sealedEnv", desired.env().sealedTo(key).toHex());
    data.put("sealedTo", key.toHex());
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, encode(v)));
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(secretName(app))
            .withNamespace(app.getMetadata().getNamespace())
            .addToLabels("app.kubernetes.io/managed-by", "phala-operator")
            .addToLabels("phala.cloud/app", app.getMetadata().getName())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(app.getApiVersion())
                    .withKind(app.getKind())
                    .withName(app.getMetadata().getName())
                    .withUid(app.getMetadata().getUid())
                    .withController(true)
                    .build())
            .endMetadata()
            .withType("Opaque")
            .withData(encoded)
            .build();
    client.resource(secret).fieldManager("phala-operator").forceConflicts().serverSideApply();
  }

  Optional<Kept> load(PhalaApp app) {
    Secret secret =
        client
            .secrets()
            .inNamespace(app.getMetadata().getNamespace())
            .withName(secretName(app))
            .get();
    if (secret == null || secret.getData() == null) {
      return Optional.empty();
    }
    Map<String, String> data = new LinkedHashMap<>();
    secret.getData().forEach((k, v) -> data.put(k, decode(v)));
    String keys = data.getOrDefault("envKeys", "");
    return Optional.of(
        new Kept(
            data.get("revision"),
            data.get("composeRevision"),
            data.get("compose"),
            data.get("preLaunchScript"),
            new EnvPayload.Stored(
                SealedEnv.fromHex(data.get("sealedEnv")),
                keys.isEmpty() ? List.of() : Arrays.asList(keys.split(",")),
                EnvPublicKey.fromHex(data.get("sealedTo")))));
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String value) {
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }
}
