package cloud.phala.operator.cloud;

import cloud.phala.operator.crypto.AppId;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.KmsPublicKeyVerifier;
import cloud.phala.operator.crypto.KmsRootKey;

/**
 * Gets an app's env encryption key the safe way: from the KMS endpoint, with the KMS signature
 * checked against a root key the caller trusts. There is no method that returns an unchecked key.
 */
public final class EnvKeyResolver {
  private final PhalaCloudClient client;

  public EnvKeyResolver(PhalaCloudClient client) {
    this.client = client;
  }

  /**
   * The key, verified against {@code trustedRoot}; throws {@link
   * cloud.phala.operator.crypto.KmsSignatureException} when the signature does not verify.
   */
  public EnvPublicKey verified(String kmsIdOrSlug, String appId, KmsRootKey trustedRoot) {
    SignedEnvKey signed = client.envPublicKey(kmsIdOrSlug, appId);
    return new KmsPublicKeyVerifier(trustedRoot)
        .verifyLegacy(AppId.fromHex(appId), signed.publicKey(), signed.signature());
  }

  /** The root key the API publishes for a KMS ({@code k256_pubkey}), for trust on first use. */
  public KmsRootKey publishedRootKey(String kmsIdOrSlug) {
    String published =
        client
            .kms(kmsIdOrSlug)
            .rootKey()
            .orElseThrow(
                () ->
                    new PhalaApiException(
                        "GET /kms/{kms_id}",
                        200,
                        null,
                        "the KMS publishes no k256_pubkey to verify against"));
    try {
      return KmsRootKey.fromHex(published);
    } catch (IllegalArgumentException e) {
      throw new PhalaApiException(
          "GET /kms/{kms_id}",
          200,
          null,
          "the KMS publishes an unusable k256_pubkey: " + e.getMessage());
    }
  }
}
