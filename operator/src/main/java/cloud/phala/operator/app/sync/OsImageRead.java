package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.Observation.Lookup;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import java.util.List;
import java.util.Optional;

/**
 * Reads the OS images a CVM can move to, only when one must move to {@code spec.osImage}: asked of
 * the first CVM that runs another image.
 */
final class OsImageRead {
  private OsImageRead() {}

  static Lookup<List<String>> of(PhalaCloudClient client, List<Cvm> cvms, String image) {
    Optional<Cvm> behind =
        image == null
            ? Optional.empty()
            : cvms.stream().filter(c -> !image.equals(c.osImage())).findFirst();
    if (behind.isEmpty()) {
      return Lookup.notAsked();
    }
    try {
      return Lookup.found(client.availableOsImages(behind.get().vmUuid()));
    } catch (PhalaApiException | PhalaTransportException e) {
      return Lookup.missing(e.getMessage());
    }
  }
}
