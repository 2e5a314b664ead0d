package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.AppId;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.KmsRootKey;
import cloud.phala.operator.crypto.KmsSigner;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The simulator's Phala KMS: a secp256k1 root key (from the seed) that signs each app's env public
 * key like the dstack KMS, and the KMS descriptor the API publishes with {@code k256_pubkey}.
 */
public final class KmsAuthority {
  public static final String SLUG = "kms-sim-1";
  private final KmsSigner signer;
  private final String id;
  private final String url;
  private final Ids ids;
  private final Map<String, EnvPrivateKey> envKeys = new ConcurrentHashMap<>();

  KmsAuthority(Ids ids, String gatewayDomain) {
    this.ids = ids;
    this.signer = KmsSigner.fromHex(HexFormat.of().formatHex(ids.seedBytes("kms-root-key")));
    this.id = "kms_" + HexFormat.of().formatHex(ids.seedBytes("kms-id")).substring(0, 16);
    this.url = "https://kms." + gatewayDomain;
  }

  public String id() {
    return id;
  }

  public String url() {
    return url;
  }

  /**
   * The public key of the KMS's root CA (hex, from the seed; one for every chain, as the root key):
   * the id of the key-provider event a CVM it gave keys to measures.
   */
  public String caIdentity() {
    return HexFormat.of().formatHex(ids.seedBytes("kms-ca-public-key"));
  }

  public KmsRootKey rootKey() {
    return signer.rootKey();
  }

  /** The on-chain KMSs (one per chain, same root key): Phala's first, then these. */
  public static final List<String> CHAINS = List.of("base", "ethereum");

  public boolean answersTo(String idOrSlug) {
    return id.equals(idOrSlug)
        || SLUG.equals(idOrSlug)
        || CHAINS.stream().anyMatch(c -> idOrSlug.equals(slug(c)) || idOrSlug.equals(id(c)));
  }

  /** The slug of the on-chain KMS of {@code chain} ({@code base}, {@code ethereum}). */
  public static String slug(String chain) {
    return "kms-sim-" + chain;
  }

  public String id(String chain) {
    return id + "-" + chain;
  }

  /** Like the dstack KMS, an app's key depends only on the root secret and the app id. */
  EnvPrivateKey envKey(String appId) {
    return envKeys.computeIfAbsent(
        appId,
        id -> EnvPrivateKey.fromHex(HexFormat.of().formatHex(ids.seedBytes("app-env-key:" + id))));
  }

  /**
   * {@code GET /kms/{kms}/pubkey/{app_id}}: the app's key and the legacy signature, plus the
   * timestamped one when a timestamp is given. {@code corrupt} lets a fault spoil the signature.
   */
  Map<String, String> signedEnvKey(
      String kmsIdOrSlug, String appIdHex, Long timestamp, Predicate<String> corrupt) {
    if (!answersTo(kmsIdOrSlug)) {
      throw new CloudError(
          404,
          "ERR-05-001",
          "KMS not found",
          List.of(Map.of("field", "kms_id", "value", kmsIdOrSlug)));
    }
    AppId appId;
    try {
      appId = AppId.fromHex(appIdHex);
    } catch (IllegalArgumentException e) {
      throw CloudError.plain(400, "Invalid app_id: expected 40 hex characters, with or without 0x");
    }
    EnvPublicKey key = envKey(appId.toHex()).publicKey();
    String legacy = signer.signLegacy(appId, key);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("public_key", key.toHex());
    out.put("signature", corrupt.test(appId.toHex()) ? spoil(legacy) : legacy);
    if (timestamp != null) {
      out.put("timestamp", Long.toString(timestamp));
      out.put("signature_v1", signer.signTimestamped(appId, key, timestamp));
    }
    return out;
  }

  private static String spoil(String signatureHex) {
    return (signatureHex.charAt(0) == '0' ? '1' : '0') + signatureHex.substring(1);
  }
}
