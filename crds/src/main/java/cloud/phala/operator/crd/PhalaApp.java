package cloud.phala.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An app on Phala Cloud, run as {@code spec.replicas} confidential VMs whose env comes from
 * Kubernetes Secrets and ConfigMaps, sealed on the client side before it leaves the cluster.
 */
@Group(PhalaApp.GROUP)
@Version(PhalaApp.VERSION)
@Kind("PhalaApp")
@Plural("phalaapps")
@Singular("phalaapp")
@ShortNames("papp")
@Categories("phala")
// Columns in the order kubectl shows them (the build keeps this order, see crds/pom.xml), read
// like a Deployment's; priority 1 are shown by -o wide.
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.ready",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "UP-TO-DATE",
    jsonPath = ".status.updatedReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "AVAILABLE",
    jsonPath = ".status.availableReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "STATUS",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "REVISION",
    jsonPath = ".status.revision",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "STRATEGY",
    jsonPath = ".spec.rollout.strategy",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "APP-ID",
    jsonPath = ".status.appId",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class PhalaApp extends CustomResource<PhalaAppSpec, PhalaAppStatus> implements Namespaced {
  public static final String GROUP = "phala.cloud";
  public static final String VERSION = "v1alpha1";

  @Override
  @Required
  public PhalaAppSpec getSpec() {
    return super.getSpec();
  }
}
