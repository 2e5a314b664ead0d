package cloud.phala.operator.app.sync;

import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crd.PhalaApp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Provisions made and not committed yet, in memory: a first deploy provisions in one pass and
 * commits in the next, once observe has verified the provisioned app's env key. Losing one (a
 * restart, another leader) costs a new provision: nothing runs until a commit.
 */
final class Provisions {
  private static final int MAX = 4096;

  private record Made(String composeRevision, Provisioned provisioned) {}

  private final Map<String, Made> byApp =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Made> eldest) {
          return size() > MAX;
        }
      };

  /** The provision made for this PhalaApp (this uid) at {@code composeRevision}, if any. */
  synchronized Optional<Provisioned> of(PhalaApp app, String composeRevision) {
    Made made = byApp.get(key(app));
    return made != null && made.composeRevision().equals(composeRevision)
        ? Optional.of(made.provisioned())
        : Optional.empty();
  }

  synchronized void made(PhalaApp app, String composeRevision, Provisioned provisioned) {
    byApp.put(key(app), new Made(composeRevision, provisioned));
  }

  synchronized void forget(PhalaApp app) {
    byApp.remove(key(app));
  }

  private static String key(PhalaApp app) {
    return app.getMetadata().getNamespace()
        + "/"
        + app.getMetadata().getName()
        + "/"
        + app.getMetadata().getUid();
  }
}
