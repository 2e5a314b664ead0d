package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import java.util.List;

/** The env a CVM is given: sealed afresh from the values, or a revision Phala Cloud keeps. */
public sealed interface EnvPayload {
  List<String> keys();

  SealedEnv sealedTo(EnvPublicKey key);

  /** Values resolved from Secrets and ConfigMaps in this pass. */
  record Fresh(EnvSet env) implements EnvPayload {
    @Override
    public List<String> keys() {
      return env.keys();
    }

    @Override
    public SealedEnv sealedTo(EnvPublicKey key) {
      return EnvSealer.seal(key, env);
    }
  }

  /**
   * A revision of the app that Phala Cloud keeps (a rollback): a CVM is redeployed on it by id, and
   * a replica gets its sealed env. Its plaintext may be gone. The sealed format names no recipient;
   * every CVM of an app shares the app's env key, so a revision of this app is sealed to it or
   * never booted anywhere.
   */
  record Kept(String phalaRevision, SealedEnv sealed, List<String> keys) implements EnvPayload {
    @Override
    public SealedEnv sealedTo(EnvPublicKey key) {
      return sealed;
    }
  }
}
