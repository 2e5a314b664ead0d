package cloud.phala.operator.simulator.cloud;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of an app's deployment history, as Phala Cloud keeps it: what a CVM was given by one
 * operation (its app compose and sealed env, never a plaintext value), when, and by which
 * operation. Immutable.
 */
public record AppRevision(
    String revisionId,
    String appId,
    UUID vmUuid,
    String cvmName,
    AppCompose compose,
    String encryptedEnv,
    Instant createdAt,
    String traceId,
    String operationType) {

  public String composeHash() {
    return compose.hash();
  }
}
