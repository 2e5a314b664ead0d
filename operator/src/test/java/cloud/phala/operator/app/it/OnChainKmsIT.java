package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.app.owner.AdoptionGrants;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.KmsPolicy;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Placement;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.simulator.OnChainDeploy;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On-chain KMS apps against the real API server and the simulator: adopted by app id, values rotate
 * with no on-chain step, a key-set change waits (serving) for the owner's approval, which the
 * simulator's {@code /_sim} chain hook stands in for, and a node whose device the app contract does
 * not allow is never used.
 */
@KubeApiTest
class OnChainKmsIT {
  private static final String CANARY = "canary-oc-7f3a-do-not-leak";
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(300));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** An on-chain app deployed as the CLI does (the owner's contract), and a grant to adopt it. */
  private static CvmSnapshot deployAndGrant(
      KubernetesClient client, String ns, String name, String appId, Map<String, String> env) {
    return deployAndGrant(client, ns, name, appId, env, "base");
  }

  private static CvmSnapshot deployAndGrant(
      KubernetesClient client,
      String ns,
      String name,
      String appId,
      Map<String, String> env,
      String chain) {
    EnvSet values = EnvSet.of(env);
    String key = OnChainDeploy.envPublicKey(fixture.simulator.world(), chain, appId);
    CvmSnapshot vm =
        OnChainDeploy.deploy(
            fixture.simulator.world(),
            "owner-" + name,
            Apps.COMPOSE,
            values.keys(),
            chain,
            appId,
            EnvSealer.seal(EnvPublicKey.fromHex(key), values).toHex(),
            1);
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("adopt-" + name)
                .withNamespace(ns)
                .addToLabels(AdoptionGrants.LABEL, "grant")
                .endMetadata()
                .withData(Map.of("namespace", ns, "name", name, "appId", appId))
                .build())
        .create();
    return vm;
  }

  /**
   * Adoption gives the CVM the PhalaApp's compose; where that compose hash is not the one the
   * contract allows, it waits for approval like any change, which the chain hook gives here.
   */
  private static PhalaAppStatus adopted(Apps apps, String name, String appId, int replicas) {
    PhalaAppStatus seen =
        apps.awaitStatus(
            name,
            s ->
                appId.equals(s.appId)
                    && (Apps.upToDate(s, replicas) || "AwaitingApproval".equals(s.phase)));
    if ("AwaitingApproval".equals(seen.phase)) {
      fixture
          .simulator
          .world()
          .onChain()
          .approveComposeHash(appId, seen.rollout.awaitingApproval.composeHash);
    }
    return apps.awaitStatus(name, s -> Apps.upToDate(s, replicas));
  }

  private static void onChain(PhalaAppSpec spec) {
    spec.kms = new KmsPolicy();
    spec.kms.type = KmsPolicy.Type.OnChain;
    spec.kms.chain = KmsPolicy.Chain.base;
  }

  private static List<EnvVarSource> env(String prefix) {
    return new ArrayList<>(
        List.of(
            Apps.fromSecret("DATABASE_URL", prefix + "-db", "url"),
            Apps.fromSecret("API_TOKEN", prefix + "-api", "token")));
  }

  @Test
  void anOnChainApp_rotatesValuesWithoutApproval_andAKeySetChangeWaitsServing_untilApproved(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    apps.secret("chain-db", Map.of("url", "postgres://chain-1"));
    apps.secret("chain-api", Map.of("token", "chain-token-1"));
    apps.secret("chain-new", Map.of("value", CANARY));
    String appId = "c1".repeat(20);
    String vm =
        deployAndGrant(
                client,
                ns.name(),
                "chain",
                appId,
                Map.of("DATABASE_URL", "postgres://chain-1", "API_TOKEN", "chain-token-1"))
            .vmUuid()
            .toString();
    apps.create(
        "chain",
        1,
        spec -> {
          spec.env = env("chain");
          onChain(spec);
        });
    adopted(apps, "chain", appId, 1);

    apps.secret("chain-api", Map.of("token", "chain-token-2"));

    apps.awaitStatus(
        "chain",
        s ->
            Apps.upToDate(s, 1)
                && "chain-token-2".equals(Apps.booted(fixture.simulator, vm).get("API_TOKEN")));
    assertThat((List<?>) fixture.simulator.world().onChain().pendingUpdates(appId).get("items"))
        .as("a value-only rotation keeps the key set: no on-chain step")
        .isEmpty();

    apps.edit(
        "chain",
        app -> {
          List<EnvVarSource> more = env("chain");
          more.add(Apps.fromSecret("NEW_KEY", "chain-new", "value"));
          app.getSpec().env = more;
        });

    PhalaAppStatus waiting = apps.awaitStatus("chain", s -> "AwaitingApproval".equals(s.phase));
    String hash = waiting.rollout.awaitingApproval.composeHash;
    assertThat(waiting.rollout.awaitingApproval.appId).isEqualTo(appId);
    assertThat(waiting.rollout.awaitingApproval.chainId).isEqualTo("8453");
    assertThat(waiting.rollout.awaitingApproval.command).contains("addComposeHash", "0x" + hash);
    assertThat(Apps.condition(waiting, "Progressing", "True")).isTrue();
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .anyMatch(
            e ->
                "AwaitingApproval".equals(e.getReason())
                    && e.getInvolvedObject().getName().equals("chain"));
    assertThat(fixture.scrapeMetrics())
        .contains(
            "phala_app_awaiting_approval{name=\"chain\",namespace=\"" + ns.name() + "\"} 1.0");
    CvmSnapshot serving = fixture.simulator.world().get(vm);
    assertThat(serving.status()).isEqualTo("running");
    assertThat(Apps.booted(fixture.simulator, vm)).doesNotContainKey("NEW_KEY");

    fixture.simulator.world().onChain().approveComposeHash(appId, hash);

    PhalaAppStatus done =
        apps.awaitStatus(
            "chain",
            s ->
                Apps.upToDate(s, 1)
                    && CANARY.equals(Apps.booted(fixture.simulator, vm).get("NEW_KEY")));
    assertThat(done.rollout == null || done.rollout.awaitingApproval == null).isTrue();
    assertThat(done.phase).isEqualTo("Ready");
    assertThat(fixture.scrapeMetrics())
        .contains(
            "phala_app_awaiting_approval{name=\"chain\",namespace=\"" + ns.name() + "\"} 0.0");
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(apps.get("chain")))
        .as("the waiting change and its approval name hashes and keys, never a value")
        .doesNotContain(CANARY);
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .noneMatch(e -> String.valueOf(e.getMessage()).contains(CANARY));
  }

  @Test
  void aNodeWhoseDeviceTheContractDoesNotAllow_isNeverUsed_untilTheOwnerAddsIt(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("dev-db", Map.of("url", "postgres://dev-1"));
    apps.secret("dev-api", Map.of("token", "dev-token-1"));
    String appId = "d2".repeat(20);
    deployAndGrant(
        client,
        ns.name(),
        "dev",
        appId,
        Map.of("DATABASE_URL", "postgres://dev-1", "API_TOKEN", "dev-token-1"));
    apps.create(
        "dev",
        1,
        spec -> {
          spec.env = env("dev");
          onChain(spec);
          spec.placement = new Placement();
          spec.placement.nodeIds = List.of(2);
        });
    adopted(apps, "dev", appId, 1);
    fixture.simulator.requestLog().clear();

    apps.edit("dev", app -> app.getSpec().replicas = 2);

    PhalaAppStatus refused =
        apps.awaitStatus(
            "dev",
            s ->
                s.conditions != null
                    && s.conditions.stream()
                        .anyMatch(
                            c ->
                                "Progressing".equals(c.getType())
                                    && "DeviceNotAllowed".equals(c.getReason())));
    assertThat(
            refused.conditions.stream()
                .filter(c -> "Progressing".equals(c.getType()))
                .findFirst()
                .get()
                .getMessage())
        .contains("sim-us-east-1");
    assertThat(fixture.simulator.requestLog().entries())
        .as("no replica is requested on a node the contract does not allow")
        .noneMatch(e -> e.path().endsWith("/replicas"));

    fixture
        .simulator
        .world()
        .onChain()
        .approveDevice(appId, fixture.simulator.world().onChain().deviceOf(2), false);

    PhalaAppStatus ready = apps.awaitStatus("dev", s -> Apps.upToDate(s, 2));
    assertThat(fixture.simulator.world().listApp(ready.appId))
        .extracting(CvmSnapshot::nodeId)
        .containsExactlyInAnyOrder(1, 2);
    assertThat(fixture.simulator.requestLog().entries())
        .noneMatch(e -> e.path().endsWith("/replicas") && e.status() == 465);
  }

  @Test
  void anOnChainAppWithNothingToAdopt_isNeverDeployed(KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("lone-db", Map.of("url", "postgres://lone-1"));
    apps.secret("lone-api", Map.of("token", "lone-token-1"));
    apps.create(
        "lone",
        1,
        spec -> {
          spec.env = env("lone");
          onChain(spec);
        });

    PhalaAppStatus blocked = apps.awaitStatus("lone", s -> "Blocked".equals(s.phase));

    assertThat(
            blocked.conditions.stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .get()
                .getReason())
        .isEqualTo("OnChainAdoptionOnly");
    assertThat(fixture.simulator.world().list()).noneMatch(c -> c.name().contains("lone"));
  }

  @Test
  void anUnknownKmsId_isKmsUnavailable_andNothingIsSealed(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("nokms-db", Map.of("url", "postgres://nokms-1"));
    apps.secret("nokms-api", Map.of("token", "nokms-token-1"));
    String appId = "e3".repeat(20);
    String vm =
        deployAndGrant(
                client,
                ns.name(),
                "nokms",
                appId,
                Map.of("DATABASE_URL", "postgres://nokms-1", "API_TOKEN", "nokms-token-1"))
            .vmUuid()
            .toString();
    int boots =
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> fixture.simulator.world().get(vm),
                c -> "running".equals(c.status()) && !c.inProgress())
            .boots();
    apps.create(
        "nokms",
        1,
        spec -> {
          spec.env = env("nokms");
          onChain(spec);
          spec.kms.id = "kms-nowhere";
        });

    PhalaAppStatus blocked = apps.awaitStatus("nokms", s -> "Blocked".equals(s.phase));

    assertThat(
            blocked.conditions.stream()
                .filter(c -> "PublicKeyVerified".equals(c.getType()))
                .findFirst()
                .get()
                .getMessage())
        .contains("could not read the KMS root key: GET /kms/{kms_id} failed with HTTP 404");
    assertThat(fixture.simulator.world().get(vm).boots()).isEqualTo(boots);
  }

  @Test
  void aChainWithoutOnChainType_orOnChainWithoutAChain_isRefusedByTheApiServer(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());

    assertThatThrownBy(
            () ->
                apps.create(
                    "badchain",
                    1,
                    spec -> {
                      spec.kms = new KmsPolicy();
                      spec.kms.chain = KmsPolicy.Chain.base;
                    }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("kms.chain names the chain of an OnChain KMS; type must be OnChain");
    assertThatThrownBy(
            () ->
                apps.create(
                    "nochain",
                    1,
                    spec -> {
                      spec.kms = new KmsPolicy();
                      spec.kms.type = KmsPolicy.Type.OnChain;
                    }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("an OnChain KMS needs kms.chain (ethereum or base)");
  }

  @Test
  void theRunbook_approvesAWaitingChange(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Apps apps = new Apps(client, ns.name());
    apps.secret("book-db", Map.of("url", "postgres://book-1"));
    apps.secret("book-api", Map.of("token", "book-token-1"));
    apps.secret("book-new", Map.of("value", "book-new-1"));
    String appId = "f4".repeat(20);
    deployAndGrant(
        client,
        ns.name(),
        "book",
        appId,
        Map.of("DATABASE_URL", "postgres://book-1", "API_TOKEN", "book-token-1"));
    apps.create(
        "book",
        1,
        spec -> {
          List<EnvVarSource> more = env("book");
          more.add(Apps.fromSecret("NEW_KEY", "book-new", "value"));
          spec.env = more;
          onChain(spec);
        });
    PhalaAppStatus waiting = apps.awaitStatus("book", s -> "AwaitingApproval".equals(s.phase));
    Map<String, String> values =
        Map.of(
            "{appId}", waiting.rollout.awaitingApproval.appId,
            "{composeHash}", waiting.rollout.awaitingApproval.composeHash);

    List<String> answers = Runbook.run(Path.of("..", "docs", "onchain-kms.md"), values, fixture);

    assertThat(answers).hasSize(4);
    assertThat(answers.get(0)).contains(waiting.rollout.awaitingApproval.composeHash);
    assertThat(answers.get(1)).contains("\"compose_hash_allowed\":false");
    assertThat(answers.get(3)).contains("\"is_allowed\":true");
    PhalaAppStatus done = apps.awaitStatus("book", s -> Apps.upToDate(s, 1));
    assertThat(done.phase).isEqualTo("Ready");
  }

  @Test
  void anAppWhoseKmsRunsOnAnotherChain_isBlocked_andItsKmsInfoIsReadOnce(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("eth-db", Map.of("url", "postgres://eth-1"));
    apps.secret("eth-api", Map.of("token", "eth-token-1"));
    String appId = "9e".repeat(20);
    CvmSnapshot vm =
        deployAndGrant(
            client,
            ns.name(),
            "eth",
            appId,
            Map.of("DATABASE_URL", "postgres://eth-1", "API_TOKEN", "eth-token-1"),
            "ethereum");
    int boots =
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> fixture.simulator.world().get(vm.vmUuid().toString()),
                c -> "running".equals(c.status()) && !c.inProgress())
            .boots();
    apps.create(
        "eth",
        1,
        spec -> {
          spec.env = env("eth");
          onChain(spec);
        });

    PhalaAppStatus blocked = apps.awaitStatus("eth", s -> "Blocked".equals(s.phase));
    assertThat(
            blocked.conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().get())
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("KmsChainMismatch"))
        .satisfies(c -> assertThat(c.getMessage()).contains("runs on chain id 1"));

    apps.edit("eth", app -> app.getSpec().replicas = 2);
    apps.awaitStatus(
        "eth", s -> "Blocked".equals(s.phase) && Long.valueOf(2L).equals(s.observedGeneration));

    assertThat(fixture.simulator.world().get(vm.vmUuid().toString()).boots()).isEqualTo(boots);
    assertThat(fixture.simulator.world().listApp(appId)).hasSize(1);
    assertThat(fixture.simulator.requestLog().entries())
        .as("the app's kms-info is read once, however many passes follow")
        .filteredOn(e -> e.path().endsWith("/apps/" + appId + "/kms-info"))
        .hasSize(1);
  }

  @Test
  void withoutPlacement_aReplicaIsNotRequested_whenTheOwnerRemovedItsSourceNodesDevice(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("rm-db", Map.of("url", "postgres://rm-1"));
    apps.secret("rm-api", Map.of("token", "rm-token-1"));
    String appId = "a5".repeat(20);
    CvmSnapshot vm =
        deployAndGrant(
            client,
            ns.name(),
            "rm",
            appId,
            Map.of("DATABASE_URL", "postgres://rm-1", "API_TOKEN", "rm-token-1"));
    apps.create(
        "rm",
        1,
        spec -> {
          spec.env = env("rm");
          onChain(spec);
        });
    adopted(apps, "rm", appId, 1);
    String device = fixture.simulator.world().onChain().deviceOf(vm.nodeId());
    fixture.simulator.world().onChain().removeDevice(appId, device);
    fixture.simulator.requestLog().clear();

    apps.edit("rm", app -> app.getSpec().replicas = 2);

    apps.awaitStatus(
        "rm",
        s ->
            s.conditions != null
                && s.conditions.stream()
                    .anyMatch(
                        c ->
                            "Progressing".equals(c.getType())
                                && "DeviceNotAllowed".equals(c.getReason())));
    assertThat(fixture.simulator.requestLog().entries())
        .as("no replica is requested on a node whose device the contract no longer allows")
        .noneMatch(e -> e.path().endsWith("/replicas"));

    fixture.simulator.world().onChain().approveDevice(appId, device, false);

    PhalaAppStatus ready = apps.awaitStatus("rm", s -> Apps.upToDate(s, 2));
    assertThat(fixture.simulator.world().listApp(ready.appId))
        .extracting(CvmSnapshot::nodeId)
        .containsOnly(vm.nodeId());
  }

  @Test
  void aChangeAwaitingApproval_isPreparedForACommitToken_keptInStatus_neverInAnEvent(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("tok-db", Map.of("url", "postgres://tok-1"));
    apps.secret("tok-api", Map.of("token", "tok-token-1"));
    String appId = "b6".repeat(20);
    String vm =
        deployAndGrant(
                client,
                ns.name(),
                "tok",
                appId,
                Map.of("DATABASE_URL", "postgres://tok-1", "API_TOKEN", "tok-token-1"))
            .vmUuid()
            .toString();
    apps.create(
        "tok",
        1,
        spec -> {
          spec.env = env("tok");
          onChain(spec);
        });
    adopted(apps, "tok", appId, 1);

    apps.edit(
        "tok",
        app -> {
          List<EnvVarSource> more = env("tok");
          more.add(Apps.fromSecret("NEW_KEY", "tok-db", "url"));
          app.getSpec().env = more;
        });

    PhalaAppStatus waiting =
        apps.awaitStatus(
            "tok",
            s ->
                "AwaitingApproval".equals(s.phase)
                    && s.rollout.awaitingApproval.commitToken != null);
    var approval = waiting.rollout.awaitingApproval;
    String token = approval.commitToken;
    assertThat(approval.commitCvmId).isEqualTo(vm);
    assertThat(approval.commitCommand)
        .isEqualTo(
            "phala deploy --cvm-id "
                + vm
                + " --commit --token <commitToken> --compose-hash "
                + approval.composeHash
                + " --transaction-hash <transactionHash>");
    assertThat(fixture.simulator.requestLog().entries())
        .as("the refused change is prepared with PATCH /cvms/{id} and X-Prepare-Only")
        .anyMatch(
            e ->
                "PATCH".equals(e.method())
                    && e.path().endsWith("/cvms/" + vm)
                    && e.status() == 465);
    assertThat(fixture.simulator.world().onChain().pendingUpdates(appId).toString())
        .contains(approval.composeHash);
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .as("the commit token is a bearer capability: never in an Event")
        .noneMatch(e -> String.valueOf(e.getMessage()).contains(token));
    assertThat(waiting.conditions).noneMatch(c -> String.valueOf(c.getMessage()).contains(token));

    fixture.simulator.world().onChain().approveComposeHash(appId, approval.composeHash);

    PhalaAppStatus done = apps.awaitStatus("tok", s -> Apps.upToDate(s, 1));
    assertThat(done.rollout == null || done.rollout.awaitingApproval == null).isTrue();
  }
}
