package cloud.phala.operator.simulator.cloud;

/** Phase one of a compose update: the hash the client commits in phase two. */
public record ComposeUpdateResult(String appId, String composeHash) {}
