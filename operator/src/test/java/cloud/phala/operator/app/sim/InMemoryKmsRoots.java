package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.cloud.KmsRoots;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The KMS roots trusted on first use, in memory; they outlive operator instances. */
final class InMemoryKmsRoots implements KmsRoots {
  private final Map<String, String> roots = new HashMap<>();

  @Override
  public Optional<String> recorded(String kmsId) {
    return Optional.ofNullable(roots.get(kmsId));
  }

  @Override
  public String recordFirst(String kmsId, String rootHex) {
    return roots.computeIfAbsent(kmsId, k -> rootHex);
  }
}
