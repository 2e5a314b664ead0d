package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.EnvPrivateKey;
import java.time.Instant;

/** A deployed app: its id and its env key pair, shared by every CVM (replica) of the app. */
final class App {
  final String appId;
  final EnvPrivateKey envKey;
  final String kmsType;
  final Instant createdAt;

  App(String appId, EnvPrivateKey envKey, String kmsType, Instant createdAt) {
    this.appId = appId;
    this.envKey = envKey;
    this.kmsType = kmsType;
    this.createdAt = createdAt;
  }

  boolean onChainKms() {
    return !"phala".equals(kmsType);
  }
}
