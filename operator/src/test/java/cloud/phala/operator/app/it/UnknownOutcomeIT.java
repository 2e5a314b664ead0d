package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway in front of Phala Cloud answers 502 or 504 after the request was carried out (the
 * simulator's {@code error_after_apply}): the CVM was created or is restarting, but the operator
 * cannot tell. It must not resend; the next pass settles the step from the CVMs it observes. No CVM
 * is created twice, none restarts more than once for one rotation, and the rotation completes with
 * the whole env on every CVM.
 */
@KubeApiTest
class UnknownOutcomeIT {
  private static final Duration BOOT = Duration.ofMillis(1500);
  private static final String DB_URL = "postgres://unknown-outcome-db";
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), BOOT);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void gatewayErrorsAfterSurgeReplicasWereCreated_createNoExtraReplica(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready =
        deploy(
            apps,
            "surge-gateway",
            spec -> {
              spec.rollout = new Rollout();
              spec.rollout.maxUnavailable = new IntOrString(0);
              spec.rollout.maxSurge = new IntOrString(1);
            });
    fixture.simulator.requestLog().clear();
    gatewayErrorsAfterApply("POST", ".*/replicas");

    apps.secret("surge-gateway-api", Map.of("token", "rotated-surge"));

    PhalaAppStatus done = awaitRotated(apps, "surge-gateway", ready);
    List<RequestLog.Entry> replicaRequests = requests("POST", ".*/replicas");
    assertThat(replicaRequests)
        .as("one replica requested per replaced CVM: none resent after a 502 or 504")
        .hasSize(3);
    assertThat(replicaRequests)
        .extracting(RequestLog.Entry::status)
        .as("the gateway errors were answered")
        .contains(502, 504);
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(done.appId);
    assertThat(cvms).as("no replica left over").hasSize(3);
    assertThat(cvms).extracting(CvmSnapshot::boots).as("each new CVM booted once").containsOnly(1);
    assertWholeEnv(cvms, "rotated-surge");
    assertCloudErrorsSayTheOutcomeIsUnknown(client, ns, "surge-gateway", "rotated-surge");
  }

  @Test
  void gatewayErrorsAfterEnvUpdatesWereApplied_restartNoCvmTwice(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready = deploy(apps, "patch-gateway", spec -> {});
    fixture.simulator.requestLog().clear();
    gatewayErrorsAfterApply("PATCH", ".*/envs");

    apps.secret("patch-gateway-api", Map.of("token", "rotated-patch"));

    PhalaAppStatus done = awaitRotated(apps, "patch-gateway", ready);
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(done.appId);
    assertThat(cvms).hasSize(3);
    assertThat(cvms)
        .extracting(CvmSnapshot::boots)
        .as("boots: the first and the rotation, never a second restart")
        .containsOnly(2);
    assertThat(requests("PATCH", ".*/envs"))
        .extracting(RequestLog.Entry::status)
        .as("one env update carried out per CVM, the gateway errors among them")
        .filteredOn(status -> status != 409)
        .hasSize(3)
        .contains(502, 504);
    assertWholeEnv(cvms, "rotated-patch");
    assertCloudErrorsSayTheOutcomeIsUnknown(client, ns, "patch-gateway", "rotated-patch");
  }

  @Test
  void aGatewayErrorAfterTheFirstCvmWasCommitted_findsThatCvm_insteadOfDeployingAgain(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    fixture.simulator.requestLog().clear();
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.ERROR_AFTER_APPLY,
                "POST",
                Pattern.compile("/api/v1/cvms"),
                null,
                1.0,
                1,
                504,
                Duration.ZERO));

    PhalaAppStatus ready = deploy(apps, "commit-gateway", spec -> {});

    assertThat(requests("POST", "/api/v1/cvms"))
        .extracting(RequestLog.Entry::status)
        .as("the commit was sent once, and no second app was deployed")
        .containsExactly(504);
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(ready.appId);
    assertThat(cvms).hasSize(3);
    assertThat(cvms)
        .extracting(CvmSnapshot::boots)
        .as("every CVM, the committed one too, booted once")
        .containsOnly(1);
    assertWholeEnv(cvms, "first");
  }

  /** The next replica request or env update gets a 502, the one after a 504, both carried out. */
  private static void gatewayErrorsAfterApply(String method, String path) {
    for (int status : new int[] {502, 504}) {
      fixture
          .simulator
          .faults()
          .add(
              new FaultRule(
                  null,
                  FaultRule.Kind.ERROR_AFTER_APPLY,
                  method,
                  Pattern.compile(path),
                  null,
                  1.0,
                  1,
                  status,
                  Duration.ZERO));
    }
  }

  private static List<RequestLog.Entry> requests(String method, String path) {
    Pattern pattern = Pattern.compile(path);
    return fixture.simulator.requestLog().entries().stream()
        .filter(e -> e.method().equals(method) && pattern.matcher(e.path()).matches())
        .toList();
  }

  private static void assertWholeEnv(List<CvmSnapshot> cvms, String token) {
    for (CvmSnapshot cvm : cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .as("the whole env of %s", cvm.name())
          .isEqualTo(Map.of("DATABASE_URL", DB_URL, "API_TOKEN", token));
    }
  }

  /** The step in doubt was reported as such, naming the call and status, never a value. */
  private static void assertCloudErrorsSayTheOutcomeIsUnknown(
      KubernetesClient client, TestNamespace ns, String name, String token) {
    List<Event> events =
        client.v1().events().inNamespace(ns.name()).list().getItems().stream()
            .filter(e -> name.equals(e.getInvolvedObject().getName()))
            .toList();
    assertThat(events)
        .filteredOn(e -> "CloudError".equals(e.getReason()))
        .extracting(Event::getMessage)
        .anySatisfy(
            m -> assertThat(m).contains("outcome is unknown").containsPattern("HTTP 50[24]"));
    String everything =
        Serialization.asYaml(events) + Serialization.asYaml(new Apps(client, ns.name()).get(name));
    assertThat(everything).doesNotContain(token).doesNotContain(DB_URL);
  }

  private static PhalaAppStatus deploy(Apps apps, String name, Consumer<PhalaAppSpec> customize) {
    apps.secret(name + "-db", Map.of("url", DB_URL));
    apps.secret(name + "-api", Map.of("token", "first"));
    apps.create(
        name,
        3,
        spec -> {
          spec.env =
              List.<EnvVarSource>of(
                  Apps.fromSecret("DATABASE_URL", name + "-db", "url"),
                  Apps.fromSecret("API_TOKEN", name + "-api", "token"));
          customize.accept(spec);
        });
    return apps.awaitStatus(name, s -> Apps.upToDate(s, 3) && Apps.condition(s, "Ready", "True"));
  }

  private static PhalaAppStatus awaitRotated(Apps apps, String name, PhalaAppStatus before) {
    return apps.awaitStatus(
        name,
        s ->
            !before.envRevision.equals(s.envRevision)
                && Apps.upToDate(s, 3)
                && Apps.condition(s, "Progressing", "False")
                && s.cvms.stream().allMatch(c -> c.intent == null)
                && (s.rollout == null || s.rollout.pendingReplicas == null));
  }
}
