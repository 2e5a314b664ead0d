package cloud.phala.operator.simulator.cloud;

import java.util.List;

/**
 * A dstack OS image a CVM can boot: {@code name} as clients pass it ({@code dstack-0.5.5} or {@code
 * dstack-dev-0.5.5}), a unique {@code slug} that the API also accepts, and its version.
 */
public record OsImage(String name, String slug, List<Integer> version, boolean dev, String hash) {

  /** {@code 0.5.5}. */
  public String versionText() {
    return String.join(".", version.stream().map(String::valueOf).toList());
  }

  public boolean answersTo(String nameOrSlug) {
    return name.equals(nameOrSlug) || slug.equals(nameOrSlug);
  }
}
