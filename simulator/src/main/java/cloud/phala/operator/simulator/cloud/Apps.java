package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.EnvPrivateKey;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The apps that have had a CVM since the last reset, each with its env key from the KMS. Guarded by
 * the world's lock.
 */
final class Apps {
  private final KmsAuthority kms;
  private final Clock clock;
  private final Map<String, App> byId = new HashMap<>();

  Apps(KmsAuthority kms, Clock clock) {
    this.kms = kms;
    this.clock = clock;
  }

  /** The app {@code appId}, made now on {@code kmsType} if it has none yet. */
  App appFor(String appId, String kmsType) {
    return byId.computeIfAbsent(appId, id -> new App(id, kms.envKey(id), kmsType, clock.instant()));
  }

  /** The app's env key; the KMS's key for the app id if it has had no CVM. */
  EnvPrivateKey envKey(String appId) {
    App app = byId.get(appId);
    return app != null ? app.envKey : kms.envKey(appId);
  }

  /** The ids of every app a CVM was made for, live CVMs or not. */
  Set<String> ids() {
    return Set.copyOf(byId.keySet());
  }

  void clear() {
    byId.clear();
  }
}
