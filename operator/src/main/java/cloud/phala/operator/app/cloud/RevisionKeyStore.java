package cloud.phala.operator.app.cloud;

import cloud.phala.operator.app.resolve.OperatorSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The HMAC key behind revisions: 32 random bytes in a Secret the operator creates once and never
 * overwrites (if two instances race, the first create wins and both read it back).
 */
public final class RevisionKeyStore {
  public static final String SECRET_NAME = "phala-operator-revision-key";
  private static final String KEY = "key";

  private RevisionKeyStore() {}

  public static byte[] loadOrCreate(KubernetesClient client, String namespace) {
    Secret existing = client.secrets().inNamespace(namespace).withName(SECRET_NAME).get();
    if (existing == null) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName(SECRET_NAME)
              .withNamespace(namespace)
              .addToLabels(OperatorSecrets.MANAGED_BY, OperatorSecrets.OPERATOR)
              .endMetadata()
              .withType("Opaque")
              .withData(Map.of(KEY, Base64.getEncoder().encodeToString(key)))
              .build();
      try {
        client.resource(secret).create();
        return key;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = client.secrets().inNamespace(namespace).withName(SECRET_NAME).get();
      }
    }
    return Base64.getDecoder().decode(existing.getData().get(KEY));
  }
}
