package cloud.phala.operator.app.sync;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import java.util.List;

/** The env a CVM is given: sealed afresh from the values, or a blob sealed earlier (rollback). */
sealed interface EnvPayload {
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

  /** Ciphertext kept from a revision that was fully rolled out; its plaintext may be gone. */
  record Stored(SealedEnv sealed, List<String> keys, EnvPublicKey recipient) implements EnvPayload {
    @Override
    public SealedEnv sealedTo(EnvPublicKey key) {
      if (!recipient.equals(key)) {
        throw new IllegalStateException(
            "the stored env was sealed to another public key; it cannot be restored");
      }
      return sealed;
    }
  }
}
