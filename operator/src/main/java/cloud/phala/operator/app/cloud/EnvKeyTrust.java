package cloud.phala.operator.app.cloud;

import cloud.phala.operator.cloud.EnvKeyResolver;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.KmsRootKey;
import cloud.phala.operator.crypto.KmsSignatureException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which env key the operator may seal to. With trusted KMS keys configured, the app's key must be
 * signed by one of them. Otherwise the KMS root key the API publishes is recorded on first use (in
 * status) and every later key must be signed by that same root key: a changed root key is refused,
 * not silently accepted.
 */
public final class EnvKeyTrust {
  /** The outcome: a key to seal to, or why there is none. {@code rootKey} is what to record. */
  public record Outcome(
      Optional<EnvPublicKey> key,
      String rootKey,
      boolean verified,
      String reason,
      String message) {}

  private final List<KmsRootKey> trusted;
  private final Map<String, EnvPublicKey> verifiedCache = new ConcurrentHashMap<>();

  public EnvKeyTrust(List<KmsRootKey> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  public Outcome resolve(
      PhalaCloudClient client,
      String kmsId,
      String appId,
      String recordedRoot,
      boolean verify,
      String reportedKey) {
    if (!verify) {
      try {
        return new Outcome(
            Optional.ofNullable(reportedKey).map(EnvPublicKey::fromHex),
            recordedRoot,
            false,
            "VerificationDisabled",
            "spec.kms.verifyPublicKey is false: the env key is used without checking its KMS signature");
      } catch (IllegalArgumentException e) {
        return refused(
            "VerificationDisabled",
            "spec.kms.verifyPublicKey is false and the env key Phala Cloud reports is unusable: "
                + e.getMessage());
      }
    }
    EnvKeyResolver resolver = new EnvKeyResolver(client);
    List<KmsRootKey> roots;
    try {
      roots =
          !trusted.isEmpty()
              ? trusted
              : List.of(
                  recordedRoot != null
                      ? KmsRootKey.fromHex(recordedRoot)
                      : resolver.publishedRootKey(kmsId));
    } catch (PhalaApiException e) {
      return refused("KmsUnavailable", "could not read the KMS root key: " + e.getMessage());
    }
    String why = null;
    for (KmsRootKey root : roots) {
      String cacheKey = appId + "/" + root.toHex();
      EnvPublicKey cached = verifiedCache.get(cacheKey);
      if (cached != null) {
        return verified(cached, root);
      }
      try {
        EnvPublicKey key = resolver.verified(kmsId, appId, root);
        verifiedCache.put(cacheKey, key);
        return verified(key, root);
      } catch (KmsSignatureException e) {
        why = e.getMessage(); // try the next trusted key
      }
    }
    if (trusted.isEmpty() && recordedRoot != null) {
      String published = publishedOrUnknown(resolver, kmsId);
      if (!published.equals(recordedRoot)) {
        return refused(
            "RootKeyChanged",
            "the KMS root key changed from the one recorded on first use ("
                + recordedRoot
                + ") to "
                + published
                + "; refusing to seal to a key it signed. Check the KMS, then clear status.kmsRootKey to trust the new key");
      }
    }
    return refused(
        "SignatureInvalid",
        "the app's env key is not signed by a trusted KMS root key"
            + (why == null ? "" : ": " + why));
  }

  private static String publishedOrUnknown(EnvKeyResolver resolver, String kmsId) {
    try {
      return resolver.publishedRootKey(kmsId).toHex();
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  private static Outcome verified(EnvPublicKey key, KmsRootKey root) {
    return new Outcome(
        Optional.of(key),
        root.toHex(),
        true,
        "SignatureVerified",
        "env key signed by KMS root key " + root.toHex());
  }

  private static Outcome refused(String reason, String message) {
    return new Outcome(Optional.empty(), null, false, reason, message);
  }
}
