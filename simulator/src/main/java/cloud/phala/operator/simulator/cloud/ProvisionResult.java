package cloud.phala.operator.simulator.cloud;

/** What provision hands back: the hash to commit, and for Phala KMS the app id and env key. */
public record ProvisionResult(
    String composeHash,
    String appId,
    String envPublicKey,
    String instanceType,
    int nodeId,
    boolean onChainKms) {}
