package cloud.phala.operator.app.config;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Which PhalaApps this process reconciles: those whose stable hash of {@code namespace/name} falls
 * in shard {@code index} of {@code count}. The hash (32-bit FNV-1a of the UTF-8 key) depends on
 * nothing but the key, so every process agrees on an app's shard without talking, and nothing is
 * written on the user's objects.
 */
public record Shard(int index, int count) {
  /** One process reconciles every app: no sharding. */
  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "SHARD must be between 0 and SHARD_COUNT - 1 (SHARD_COUNT " + count + "), not " + index);
    }
  }

  /**
   * From SHARD_COUNT and SHARD, or without SHARD the ordinal that ends a StatefulSet pod's name
   * ({@code phala-operator-2} is shard 2), as Argo CD's application controller derives its shard.
   */
  static Shard of(String count, String index, String podName) {
    int n = Integer.parseInt(count == null || count.isBlank() ? "1" : count.trim());
    if (n <= 1) {
      return new Shard(0, Math.max(n, 1));
    }
    if (index != null && !index.isBlank()) {
      return new Shard(Integer.parseInt(index.trim()), n);
    }
    return new Shard(
        ordinal(podName)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "SHARD_COUNT "
                            + n
                            + " needs SHARD or a POD_NAME ending in the pod's ordinal, not '"
                            + podName
                            + "'")),
        n);
  }

  /** The shard {@code namespace/name} falls in, of {@code count}. */
  public static int of(String namespace, String name, int count) {
    int hash = 0x811c9dc5;
    for (byte b : (namespace + "/" + name).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return Integer.remainderUnsigned(hash, count);
  }

  public boolean owns(String namespace, String name) {
    return count == 1 || of(namespace, name, count) == index;
  }

  /** One Lease per shard, so that one process leads each shard; unsharded keeps the old name. */
  public String leaseName() {
    return count == 1 ? "phala-operator" : "phala-operator-shard-" + index;
  }

  private static Optional<Integer> ordinal(String podName) {
    if (podName == null) {
      return Optional.empty();
    }
    int dash = podName.lastIndexOf('-');
    try {
      return Optional.of(Integer.parseInt(podName.substring(dash + 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
