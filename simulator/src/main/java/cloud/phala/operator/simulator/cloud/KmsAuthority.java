package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.AppId;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.KmsRootKey;
import cloud.phala.operator.crypto.KmsSigner;
import java.util.HexFormat;

/**
 * The simulator's Phala KMS: a secp256k1 root key (from the seed) that signs each app's env public
 * key like the dstack KMS, and the KMS descriptor the API publishes with {@code k256_pubkey}.
 */
public final class KmsAuthority {
  public static final String SLUG = "kms-sim-1";
  private final KmsSigner signer;
  private final String id;
  private final String url;

  KmsAuthority(Ids ids, String gatewayDomain) {
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

  public KmsRootKey rootKey() {
    return signer.rootKey();
  }

  public boolean answersTo(String idOrSlug) {
    return id.equals(idOrSlug) || SLUG.equals(idOrSlug);
  }

  String signLegacy(AppId appId, EnvPublicKey key) {
    return signer.signLegacy(appId, key);
  }

  String signTimestamped(AppId appId, EnvPublicKey key, long timestamp) {
    return signer.signTimestamped(appId, key, timestamp);
  }
}
