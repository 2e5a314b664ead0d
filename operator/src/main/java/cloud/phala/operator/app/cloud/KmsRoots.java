package cloud.phala.operator.app.cloud;

import java.util.Optional;

/**
 * The KMS root keys this installation trusts on first use, one per KMS, kept where tenants cannot
 * write. The first root recorded for a KMS stays: a later one is never recorded over it.
 */
public interface KmsRoots {
  Optional<String> recorded(String kmsId);

  /** Records {@code rootHex} for {@code kmsId} unless a root is recorded; returns the recorded. */
  String recordFirst(String kmsId, String rootHex);
}
