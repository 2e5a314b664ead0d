package cloud.phala.operator.app.sync;

import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.OnChainApprovalRequired;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.crypto.SealedEnv;
import java.util.List;

/**
 * An env change of an on-chain KMS app the contract must allow first: {@code PATCH /cvms/{id}/envs}
 * answers 465 with no commit token, so the same change is sent again as {@code PATCH /cvms/{id}}
 * with {@code X-Prepare-Only: true}, which prepares it (nothing restarts) and answers 465 with the
 * commit token the owner's CLI finishes it with. Where that is not offered, or names another
 * compose hash, the first 465 stands. Compose changes are not prepared: their hash comes from the
 * two-phase compose path, which a unified PATCH need not reproduce.
 */
final class PreparedChange {
  private PreparedChange() {}

  static void updateEnvs(PhalaCloudClient client, String cvmId, SealedEnv env, List<String> keys) {
    try {
      client.updateEnvs(cvmId, env, keys);
    } catch (OnChainApprovalRequired refused) {
      prepared(refused, () -> client.prepareEnvUpdate(cvmId, env, keys));
    }
  }

  static void updateCompose(
      PhalaCloudClient client,
      String cvmId,
      ComposeSpec compose,
      SealedEnv env,
      List<String> keys) {
    try {
      String hash = client.provisionComposeUpdate(cvmId, compose);
      client.commitComposeUpdate(cvmId, hash, env, keys);
    } catch (OnChainApprovalRequired refused) {
      prepared(refused, () -> client.prepareComposeUpdate(cvmId, compose, env));
    }
  }

  private static void prepared(OnChainApprovalRequired refused, Runnable prepare) {
    if (refused.commit().isPresent()) {
      throw refused;
    }
    try {
      prepare.run();
    } catch (OnChainApprovalRequired prepared) {
      boolean same = prepared.composeHash().equals(refused.composeHash());
      throw prepared.commit().isPresent() && same ? prepared : refused;
    } catch (PhalaApiException | PhalaTransportException e) {
      throw refused;
    }
    throw refused;
  }
}
