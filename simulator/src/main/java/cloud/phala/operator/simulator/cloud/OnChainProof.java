package cloud.phala.operator.simulator.cloud;

/**
 * What an update request says about the on-chain step of an on-chain KMS app: phase two's {@code
 * compose_hash} + {@code transaction_hash}, {@code X-Prepare-Only}, and whether the route answers a
 * 465 with a commit token ({@code PATCH /cvms/{id}} does, {@code PATCH /cvms/{id}/envs} does not).
 */
public record OnChainProof(
    String composeHash, String transactionHash, boolean prepareOnly, boolean tokenFlow) {
  public static final OnChainProof NONE = new OnChainProof(null, null, false, false);
}
