package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.EnvVar;
import cloud.phala.operator.crypto.KmsRootKey;
import cloud.phala.operator.crypto.KmsSignatureException;
import cloud.phala.operator.crypto.SealedEnv;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against the simulator: the calls the operator makes, end to end. */
class PhalaCloudClientTest {
  @RegisterExtension static final SimulatorFixture SIM = new SimulatorFixture();

  private static final String COMPOSE = "services:\n  app:\n    image: nginx\n";

  private final PhalaCloudClient client = SIM.client();

  private Cvm deploy(String name, EnvSet env) {
    Provisioned provisioned =
        client.provision(
            new ProvisionRequest(name, COMPOSE, null, env.keys(), "tdx.small", 40, null));
    SealedEnv sealed = EnvSealer.seal(EnvPublicKey.fromHex(provisioned.envPublicKey()), env);
    return client.commit(provisioned.appId(), provisioned.composeHash(), sealed, env.keys());
  }

  private Cvm awaitServing(String vmUuid) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.getCvm(vmUuid), Cvm::isServing);
  }

  private List<EnvVar> bootedEnv(String vmUuid) {
    return SIM.simulator().world().get(vmUuid).bootedEnv();
  }

  @Test
  void provisionAndCommit_deployACvmThatBootsTheSealedEnv() {
    EnvSet env = EnvSet.builder().put("API_KEY", "s3cr3t").build();

    Cvm created = deploy("client-app", env);
    Cvm running = awaitServing(created.vmUuid());

    assertThat(running.appId()).isEqualTo(created.appId());
    assertThat(running.envPublicKey()).matches("[0-9a-f]{64}");
    assertThat(running.composeHash()).matches("[0-9a-f]{64}");
    assertThat(running.kmsRootKey()).isPresent();
    assertThat(bootedEnv(created.vmUuid())).containsExactly(new EnvVar("API_KEY", "s3cr3t"));
  }

  @Test
  void updateEnvs_replacesTheWholeEnvAndReportsAllowedKeyChanges() {
    Cvm cvm = deploy("env-app", EnvSet.builder().put("A", "1").build());
    awaitServing(cvm.vmUuid());
    EnvSet next = EnvSet.builder().put("A", "2").put("B", "3").build();

    EnvUpdateAccepted accepted =
        client.updateEnvs(
            cvm.vmUuid(),
            EnvSealer.seal(EnvPublicKey.fromHex(cvm.envPublicKey()), next),
            next.keys());

    assertThat(accepted.allowedEnvsChanged()).isTrue();
    awaitServing(cvm.vmUuid());
    assertThat(bootedEnv(cvm.vmUuid())).containsExactly(new EnvVar("A", "2"), new EnvVar("B", "3"));
  }

  @Test
  void appRevisions_listNewestFirst_oneReadsWithComposeAndSealedEnv_andRedeployRestoresIt() {
    Cvm cvm = deploy("revision-app", EnvSet.builder().put("A", "1").build());
    String deployedHash = awaitServing(cvm.vmUuid()).composeHash();
    EnvSet next = EnvSet.builder().put("A", "2").put("B", "3").build();
    client.updateEnvs(
        cvm.vmUuid(), EnvSealer.seal(EnvPublicKey.fromHex(cvm.envPublicKey()), next), next.keys());
    awaitServing(cvm.vmUuid());

    RevisionPage page = client.appRevisions(cvm.appId(), 1, 10);
    AppRevision deployed = client.appRevision(cvm.appId(), page.revisions().get(1).revisionId());
    client.redeployRevision(cvm.vmUuid(), deployed.revisionId());

    assertThat(page.total()).isEqualTo(2);
    assertThat(page.totalPages()).isEqualTo(1);
    assertThat(page.revisions())
        .extracting(AppRevision::operationType)
        .containsExactly("update", "deploy");
    assertThat(page.revisions()).allMatch(r -> r.compose().isEmpty() && r.env().isEmpty());
    assertThat(page.revisions())
        .as("when Phala Cloud recorded each, newest first")
        .allMatch(r -> r.createdAt().isPresent());
    assertThat(page.revisions().get(0).createdAt().get())
        .isAfterOrEqualTo(page.revisions().get(1).createdAt().get());
    assertThat(deployed.appId()).isEqualTo(cvm.appId());
    assertThat(deployed.vmUuid()).isEqualTo(cvm.vmUuid());
    assertThat(deployed.composeHash()).isEqualTo(deployedHash);
    assertThat(deployed.compose().orElseThrow().dockerComposeFile()).isEqualTo(COMPOSE);
    assertThat(deployed.compose().orElseThrow().allowedEnvs()).containsExactly("A");
    assertThat(deployed.env()).isPresent();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> SIM.simulator().world().get(cvm.vmUuid()).boots() == 3);
    awaitServing(cvm.vmUuid());
    assertThat(bootedEnv(cvm.vmUuid())).containsExactly(new EnvVar("A", "1"));
  }

  @Test
  void anotherAppsRevision_isNotFound() {
    Cvm mine = deploy("mine-app", EnvSet.builder().put("A", "1").build());
    Cvm theirs = deploy("their-app", EnvSet.builder().put("A", "2").build());
    String theirRevision =
        client.appRevisions(theirs.appId(), 1, 1).revisions().get(0).revisionId();

    assertThatThrownBy(() -> client.appRevision(mine.appId(), theirRevision))
        .isInstanceOfSatisfying(PhalaApiException.class, e -> assertThat(e.isNotFound()).isTrue());
    awaitServing(mine.vmUuid());
    assertThatThrownBy(() -> client.redeployRevision(mine.vmUuid(), theirRevision))
        .isInstanceOfSatisfying(PhalaApiException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void aComposeUpdate_appliesComposeAndEnvInOneRestart() {
    Cvm cvm = deploy("compose-app", EnvSet.builder().put("A", "1").build());
    awaitServing(cvm.vmUuid());
    EnvSet env = EnvSet.builder().put("A", "1").put("C", "4").build();

    String hash =
        client.provisionComposeUpdate(
            cvm.vmUuid(), new ComposeSpec("services: {}\n", "#!/bin/sh\n", env.keys()));
    client.commitComposeUpdate(
        cvm.vmUuid(),
        hash,
        EnvSealer.seal(EnvPublicKey.fromHex(cvm.envPublicKey()), env),
        env.keys());

    Cvm updated = awaitServing(cvm.vmUuid());
    assertThat(updated.composeHash()).isEqualTo(hash);
    assertThat(bootedEnv(cvm.vmUuid())).containsExactly(new EnvVar("A", "1"), new EnvVar("C", "4"));
    assertThat(SIM.simulator().world().get(cvm.vmUuid()).compose().preLaunchScript())
        .isEqualTo("#!/bin/sh\n");
  }

  @Test
  void replicateListAppCvmsStateAndDelete() {
    Cvm first = deploy("rep-app", EnvSet.builder().put("A", "1").build());
    awaitServing(first.vmUuid());

    Cvm second =
        client.replicate(
            first.vmUuid(),
            EnvSealer.seal(
                EnvPublicKey.fromHex(first.envPublicKey()), EnvSet.builder().put("A", "2").build()),
            client.getCvm(first.vmUuid()).composeHash());
    awaitServing(second.vmUuid());

    assertThat(client.appCvms(first.appId()))
        .extracting(Cvm::vmUuid)
        .containsExactly(first.vmUuid(), second.vmUuid());
    CvmPage page = client.listCvms(1, 1);
    assertThat(page.total()).isEqualTo(2);
    assertThat(page.items()).hasSize(1);
    assertThat(client.state(second.vmUuid()).status()).isEqualTo("running");
    client.delete(second.vmUuid());
    assertThatThrownBy(() -> client.getCvm(second.vmUuid()))
        .isInstanceOfSatisfying(
            PhalaApiException.class,
            e -> {
              assertThat(e.isNotFound()).isTrue();
              assertThat(e.errorCode()).contains("ERR-03-001");
            });
  }

  @Test
  void aFailedBoot_isReportedWithItsBootError() {
    Provisioned provisioned =
        client.provision(
            new ProvisionRequest("bad-boot", COMPOSE, null, List.of("A"), "tdx.small", 40, null));
    SealedEnv sealedToAnotherApp =
        EnvSealer.seal(
            cloud.phala.operator.crypto.EnvPrivateKey.generate(new java.security.SecureRandom())
                .publicKey(),
            EnvSet.builder().put("A", "1").build());

    Cvm cvm =
        client.commit(
            provisioned.appId(), provisioned.composeHash(), sealedToAnotherApp, List.of("A"));

    CvmState state = await().until(() -> client.state(cvm.vmUuid()), s -> !s.inProgress());
    assertThat(state.status()).isEqualTo("error");
    assertThat(state.bootError()).hasValueSatisfying(e -> assertThat(e).contains("decrypt"));
  }

  @Test
  void theEnvKey_isVerifiedAgainstThePublishedRootKey_andABadSignatureIsNeverUsed() {
    Provisioned provisioned =
        client.provision(
            new ProvisionRequest("kms-app", COMPOSE, null, List.of("A"), "tdx.small", 40, null));
    EnvKeyResolver keys = new EnvKeyResolver(client);
    KmsRootKey root = keys.publishedRootKey(provisioned.kmsId());

    assertThat(keys.verified(provisioned.kmsId(), provisioned.appId(), root).toHex())
        .isEqualTo(provisioned.envPublicKey());
    SIM.simulator()
        .faults()
        .add(
            new cloud.phala.operator.simulator.hooks.FaultRule(
                null,
                cloud.phala.operator.simulator.hooks.FaultRule.Kind.BAD_KMS_SIGNATURE,
                null,
                null,
                null,
                1.0,
                1,
                0,
                Duration.ZERO));
    assertThatThrownBy(() -> keys.verified(provisioned.kmsId(), provisioned.appId(), root))
        .isInstanceOf(KmsSignatureException.class);
  }
}
