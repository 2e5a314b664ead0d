package cloud.phala.operator.bench;

import cloud.phala.operator.crypto.EnvSet;

/** The envs every sealing benchmark seals, the Node one included (bench/node/seal-bench.mjs). */
final class SealEnvs {
  private SealEnvs() {}

  /** 20 vars of 90 characters: about 2 KiB of JSON. */
  static EnvSet typical() {
    EnvSet.Builder small = EnvSet.builder();
    for (int i = 0; i < 20; i++) {
      small.put("APP_SECRET_" + i, "v".repeat(90));
    }
    return small.build();
  }

  /** 8 vars of 128 KiB each (key included): the guest's 1 MiB limit. */
  static EnvSet maximal() {
    EnvSet.Builder big = EnvSet.builder();
    for (int i = 0; i < 8; i++) {
      String key = "BIG_" + i;
      big.put(key, "x".repeat(128 * 1024 - key.length()));
    }
    return big.build();
  }
}
