package cloud.phala.operator.app.cloud;

import cloud.phala.operator.app.status.Reason;
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
 * Which env key the operator may seal to: an operator-wide decision, never a tenant's. With trusted
 * KMS keys configured, the app's key must be signed by one of them. Otherwise the KMS root key the
 * API publishes is recorded the first time this installation uses that KMS ({@link KmsRoots}, in
 * the operator's namespace) and every later key of every app must be signed by that same root key:
 * a changed root key is refused, not silently accepted. Whether a PhalaApp may skip verification
 * ({@code spec.kms.verifyPublicKey: false}) is the operator's setting too.
 */
public final class EnvKeyTrust {
  /**
   * The outcome: a key to seal to, or why there is none. {@code rootKey}: the root it chains to.
   */
  public record Outcome(
      Optional<EnvPublicKey> key,
      String rootKey,
      boolean verified,
      Reason reason,
      String message) {}

  private final List<KmsRootKey> trusted;
  private final KmsRoots roots;
  private final boolean allowUnverified;
  private final Map<String, EnvPublicKey> verifiedCache = new ConcurrentHashMap<>();

  public EnvKeyTrust(List<KmsRootKey> trusted, KmsRoots roots, boolean allowUnverified) {
    this.trusted = List.copyOf(trusted);
    this.roots = roots;
    this.allowUnverified = allowUnverified;
  }

  public Outcome resolve(
      PhalaCloudClient client, String kmsId, String appId, boolean verify, String reportedKey) {
    if (!verify && !allowUnverified) {
      return refused(
          Reason.VERIFICATION_REQUIRED,
          "spec.kms.verifyPublicKey is false, but this operator seals only to env keys whose KMS"
              + " signature it verified (phala.allowUnverifiedKeys is false); nothing is sent");
    }
    if (!verify) {
      try {
        return new Outcome(
            Optional.ofNullable(reportedKey).map(EnvPublicKey::fromHex),
            null,
            false,
            Reason.VERIFICATION_DISABLED,
            "spec.kms.verifyPublicKey is false: the env key is used without checking its KMS signature");
      } catch (IllegalArgumentException e) {
        return refused(
            Reason.VERIFICATION_DISABLED,
            "spec.kms.verifyPublicKey is false and the env key Phala Cloud reports is unusable: "
                + e.getMessage());
      }
    }
    String recordedRoot = trusted.isEmpty() ? roots.recorded(kmsId).orElse(null) : null;
    EnvKeyResolver resolver = new EnvKeyResolver(client);
    List<KmsRootKey> candidates;
    try {
      candidates =
          !trusted.isEmpty()
              ? trusted
              : List.of(
                  recordedRoot != null
                      ? KmsRootKey.fromHex(recordedRoot)
                      : resolver.publishedRootKey(kmsId));
    } catch (PhalaApiException e) {
      return refused(Reason.KMS_UNAVAILABLE, "could not read the KMS root key: " + e.getMessage());
    }
    String why = null;
    for (KmsRootKey root : candidates) {
      String cacheKey = appId + "/" + root.toHex();
      EnvPublicKey cached = verifiedCache.get(cacheKey);
      try {
        EnvPublicKey key = cached != null ? cached : resolver.verified(kmsId, appId, root);
        // recorded even when the key was verified under another name of the KMS (its id, not
        // its slug, as an adopted app's record may name it): else every pass reads its root
        if (trusted.isEmpty() && recordedRoot == null) {
          String first = roots.recordFirst(kmsId, root.toHex());
          if (!first.equals(root.toHex())) {
            return rootChanged(kmsId, first, root.toHex());
          }
        }
        verifiedCache.put(cacheKey, key);
        return verified(key, root);
      } catch (KmsSignatureException e) {
        why = e.getMessage(); // try the next trusted key
      }
    }
    if (trusted.isEmpty() && recordedRoot != null) {
      String published = publishedOrUnknown(resolver, kmsId);
      if (!published.equals(recordedRoot)) {
        return rootChanged(kmsId, recordedRoot, published);
      }
    }
    return refused(
        Reason.SIGNATURE_INVALID,
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

  private static Outcome rootChanged(String kmsId, String recorded, String published) {
    return refused(
        Reason.ROOT_KEY_CHANGED,
        "the KMS root key changed from the one this installation recorded on first use ("
            + recorded
            + ") to "
            + published
            + "; refusing to seal to a key it signed. Check the KMS; to trust the new key an"
            + " operator admin removes "
            + "the entry for KMS "
            + kmsId
            + " from ConfigMap phala-operator-installation in the operator's namespace");
  }

  private static Outcome verified(EnvPublicKey key, KmsRootKey root) {
    return new Outcome(
        Optional.of(key),
        root.toHex(),
        true,
        Reason.SIGNATURE_VERIFIED,
        "env key signed by KMS root key " + root.toHex());
  }

  private static Outcome refused(Reason reason, String message) {
    return new Outcome(Optional.empty(), null, false, reason, message);
  }
}
