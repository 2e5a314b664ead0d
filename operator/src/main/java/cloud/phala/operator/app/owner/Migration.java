package cloud.phala.operator.app.owner;

import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The first start of this version in an installation (no {@link Installation} record yet): apps an
 * earlier version deployed were known only by their status, so each gets its record from it, once,
 * before any pass. The earlier version trusted those status fields on every pass; from here on only
 * the records count. Then the installation record is written, keeping the earlier versions' CVM
 * name prefix if they deployed anything.
 */
public final class Migration {
  private Migration() {}

  public static Installation run(
      KubernetesClient client,
      String operatorNamespace,
      Set<String> watchNamespaces,
      Optional<String> explicitIdentity,
      AppRecords records) {
    if (client.configMaps().inNamespace(operatorNamespace).withName(Installation.NAME).get()
        != null) {
      return Installation.loadOrCreate(client, operatorNamespace, explicitIdentity, false);
    }
    List<PhalaApp> deployed = deployedByAnEarlierVersion(client, watchNamespaces);
    for (PhalaApp app : deployed) {
      records.createIfAbsent(
          new AppRecord(
              app.getMetadata().getNamespace(),
              app.getMetadata().getName(),
              app.getMetadata().getUid(),
              app.getStatus().appId,
              app.getStatus().kmsId));
    }
    return Installation.loadOrCreate(
        client, operatorNamespace, explicitIdentity, !deployed.isEmpty());
  }

  private static List<PhalaApp> deployedByAnEarlierVersion(
      KubernetesClient client, Set<String> watchNamespaces) {
    List<PhalaApp> apps = new ArrayList<>();
    if (watchNamespaces.isEmpty()) {
      apps.addAll(client.resources(PhalaApp.class).inAnyNamespace().list().getItems());
    } else {
      for (String namespace : watchNamespaces) {
        apps.addAll(client.resources(PhalaApp.class).inNamespace(namespace).list().getItems());
      }
    }
    return apps.stream().filter(a -> a.getStatus() != null && a.getStatus().appId != null).toList();
  }
}
