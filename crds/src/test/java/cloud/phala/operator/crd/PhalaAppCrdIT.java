package cloud.phala.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The CRD's schema, defaults and CEL rules, as the real API server enforces them. */
@KubeApiTest
class PhalaAppCrdIT {

  static PhalaApp app(TestNamespace ns, String name, Consumer<PhalaAppSpec> customize) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName(name);
    app.getMetadata().setNamespace(ns.name());
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.compose = new ContentSource();
    spec.compose.inline = "services: {}\n";
    customize.accept(spec);
    app.setSpec(spec);
    return app;
  }

  private static void refused(KubernetesClient client, PhalaApp app, String message) {
    assertThatThrownBy(() -> client.resource(app).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  @Test
  void schemaDefaults_fillInReplicasInstanceTypeDiskRolloutAndDeletionPolicy(
      KubernetesClient client, TestNamespace ns) {
    client.resource(app(ns, "defaults", s -> s.rollout = new Rollout())).create();

    PhalaAppSpec spec =
        client
            .resources(PhalaApp.class)
            .inNamespace(ns.name())
            .withName("defaults")
            .get()
            .getSpec();

    assertThat(spec.replicas).isEqualTo(1);
    assertThat(spec.instanceType).isEqualTo("tdx.small");
    assertThat(spec.diskSizeGb).isEqualTo(40);
    assertThat(spec.deletionPolicy).isEqualTo(PhalaAppSpec.DeletionPolicy.Delete);
    assertThat(spec.rollout.strategy).isEqualTo(Rollout.Strategy.RollingUpdate);
    assertThat(spec.rollout.maxUnavailable).isEqualTo(new IntOrString(1));
    assertThat(spec.rollout.maxSurge).isEqualTo(new IntOrString(0));
    assertThat(spec.rollout.readyTimeout).isEqualTo("10m");
  }

  @Test
  void bothComposeSources_orNeither_areRefused(KubernetesClient client, TestNamespace ns) {
    refused(
        client,
        app(
            ns,
            "both",
            s -> {
              s.compose.configMapKeyRef = new ConfigMapKeySelector();
              s.compose.configMapKeyRef.name = "cm";
              s.compose.configMapKeyRef.key = "k";
            }),
        "set exactly one of inline or configMapKeyRef");
    refused(
        client,
        app(ns, "neither", s -> s.compose.inline = null),
        "set exactly one of inline or configMapKeyRef");
  }

  @Test
  void valueAndValueFromTogether_areRefused(KubernetesClient client, TestNamespace ns) {
    EnvVarSource both = new EnvVarSource();
    both.name = "TOKEN";
    both.value = "x";
    both.valueFrom = new EnvVarSource.ValueFrom();
    both.valueFrom.secretKeyRef = new SecretKeySelector();
    both.valueFrom.secretKeyRef.name = "s";
    both.valueFrom.secretKeyRef.key = "k";

    refused(
        client,
        app(ns, "value-both", s -> s.env = List.of(both)),
        "set value or valueFrom, not both");
  }

  @Test
  void anEnvNameOutsideTheGuestPattern_isRefused(KubernetesClient client, TestNamespace ns) {
    EnvVarSource bad = new EnvVarSource();
    bad.name = "1-BAD";
    bad.value = "x";

    refused(client, app(ns, "bad-name", s -> s.env = List.of(bad)), "spec.env[0].name");
  }

  @Test
  void zeroMaxUnavailableAndZeroMaxSurge_areRefused_percentagesAccepted(
      KubernetesClient client, TestNamespace ns) {
    refused(
        client,
        app(
            ns,
            "stuck",
            s -> {
              s.rollout = new Rollout();
              s.rollout.maxUnavailable = new IntOrString(0);
              s.rollout.maxSurge = new IntOrString("0%");
            }),
        "maxUnavailable and maxSurge cannot both be 0");
    refused(
        client,
        app(
            ns,
            "not-percent",
            s -> {
              s.rollout = new Rollout();
              s.rollout.maxUnavailable = new IntOrString("half");
            }),
        "maxUnavailable must be a non-negative integer or a percentage");

    client
        .resource(
            app(
                ns,
                "percent",
                s -> {
                  s.rollout = new Rollout();
                  s.rollout.maxUnavailable = new IntOrString("25%");
                  s.rollout.maxSurge = new IntOrString(1);
                }))
        .create();
  }

  @Test
  void instanceTypeAndASetRegion_areImmutable(KubernetesClient client, TestNamespace ns) {
    client.resource(app(ns, "immutable", s -> s.region = "us-west")).create();

    assertThatThrownBy(
            () ->
                client
                    .resources(PhalaApp.class)
                    .inNamespace(ns.name())
                    .withName("immutable")
                    .edit(
                        a -> {
                          a.getSpec().instanceType = "tdx.large";
                          return a;
                        }))
        .hasMessageContaining("instanceType cannot be changed");
    assertThatThrownBy(
            () ->
                client
                    .resources(PhalaApp.class)
                    .inNamespace(ns.name())
                    .withName("immutable")
                    .edit(
                        a -> {
                          a.getSpec().region = "us-east";
                          return a;
                        }))
        .hasMessageContaining("region cannot be changed");
  }

  @Test
  void kubectlScale_setsSpecReplicas_andExplainShowsFieldDocs(
      KubernetesClient client, TestNamespace ns, KubeApiServerHandle server) {
    client.resource(app(ns, "scaled", s -> {})).create();
    String kubectl = server.binaries().kubectl().toString();
    String kubeconfig = server.kubeConfigFile().toString();

    Command.run(
            kubectl,
            "--kubeconfig",
            kubeconfig,
            "-n",
            ns.name(),
            "scale",
            "papp/scaled",
            "--replicas=5")
        .requireSuccess();
    String explain =
        Command.run(kubectl, "--kubeconfig", kubeconfig, "explain", "phalaapp.spec.rollout")
            .requireSuccess()
            .output();
    String table =
        Command.run(kubectl, "--kubeconfig", kubeconfig, "-n", ns.name(), "get", "papp")
            .requireSuccess()
            .output();

    assertThat(
            client
                .resources(PhalaApp.class)
                .inNamespace(ns.name())
                .withName("scaled")
                .get()
                .getSpec()
                .replicas)
        .isEqualTo(5);
    assertThat(explain)
        .contains("maxUnavailable", "How many replicas may be down for an update at once");
    assertThat(table.lines().findFirst().orElseThrow())
        .contains("NAME", "READY", "REVISION", "STATUS", "AGE");
  }
}
