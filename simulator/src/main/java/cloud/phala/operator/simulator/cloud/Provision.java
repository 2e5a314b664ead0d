package cloud.phala.operator.simulator.cloud;

import java.time.Instant;

/** Phase one of a deploy, kept until the commit names it by app id and compose hash. */
record Provision(
    String appId,
    long nonce,
    String name,
    AppCompose compose,
    Placement placement,
    OsImage osImage,
    String kmsType,
    Instant createdAt) {

  String key() {
    return key(appId, compose.hash());
  }

  static String key(String appId, String composeHash) {
    return appId + "/" + composeHash;
  }
}
