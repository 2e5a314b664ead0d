package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import cloud.phala.operator.simulator.OnChainDeploy;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An on-chain KMS app through the client: 465 as a typed refusal, and the contract reads. */
class OnChainReadsTest {
  @RegisterExtension static final SimulatorFixture SIM = new SimulatorFixture();

  private static final String APP = "ab".repeat(20);
  private static final String COMPOSE = "services:\n  app:\n    image: nginx\n";
  private static final EnvSet ENV = EnvSet.builder().put("API_KEY", "on-chain").build();

  private final PhalaCloudClient client = SIM.client();

  private Cvm deploy() {
    String key = OnChainDeploy.envPublicKey(SIM.simulator().world(), "base", APP);
    CvmSnapshot vm =
        OnChainDeploy.deploy(
            SIM.simulator().world(),
            "chain-app",
            COMPOSE,
            ENV.keys(),
            "base",
            APP,
            EnvSealer.seal(EnvPublicKey.fromHex(key), ENV).toHex(),
            1);
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.getCvm(vm.vmUuid().toString()), Cvm::isServing);
  }

  @Test
  void aKeySetChange_isAnOnChainApprovalRequired_withTheHashAppAndChain() {
    Cvm cvm = deploy();
    EnvSet more = EnvSet.builder().put("API_KEY", "on-chain").put("NEW_KEY", "x").build();
    EnvPublicKey key = EnvPublicKey.fromHex(cvm.envPublicKey());

    assertThatThrownBy(
            () -> client.updateEnvs(cvm.vmUuid(), EnvSealer.seal(key, more), more.keys()))
        .isInstanceOfSatisfying(
            OnChainApprovalRequired.class,
            e -> {
              assertThat(e.status()).isEqualTo(465);
              assertThat(e.appId()).contains(APP);
              assertThat(e.chainId()).contains(8453L);
              assertThat(e.composeHash()).isPresent();
              assertThat(client.onChain().composeHashAllowed(APP, e.composeHash().get())).isFalse();
              assertThat(e.getMessage()).doesNotContain("on-chain\"").doesNotContain("x\"");
            });
  }

  @Test
  void aPreparedKeySetChange_answers465WithACommitToken_forThatCvm_andRestartsNothing() {
    Cvm cvm = deploy();
    EnvSet more = EnvSet.builder().put("API_KEY", "on-chain").put("NEW_KEY", "x").build();
    EnvPublicKey key = EnvPublicKey.fromHex(cvm.envPublicKey());
    int boots = SIM.simulator().world().get(cvm.vmUuid()).boots();

    assertThatThrownBy(
            () -> client.prepareEnvUpdate(cvm.vmUuid(), EnvSealer.seal(key, more), more.keys()))
        .isInstanceOfSatisfying(
            OnChainApprovalRequired.class,
            e -> {
              assertThat(e.commit()).isPresent();
              assertThat(e.commit().get().cvmId()).isEqualTo(cvm.vmUuid());
              assertThat(e.commit().get().token()).isNotBlank();
              assertThat(e.commit().get().url()).contains(e.commit().get().token());
              assertThat(e.commit().get().toString()).doesNotContain(e.commit().get().token());
              assertThat(e.getMessage()).doesNotContain(e.commit().get().token());
            });
    assertThat(SIM.simulator().requestLog().entries())
        .anyMatch(r -> "PATCH".equals(r.method()) && r.path().endsWith("/cvms/" + cvm.vmUuid()));
    String hash =
        ((java.util.List<?>) SIM.simulator().world().onChain().pendingUpdates(APP).get("items"))
            .stream()
                .map(i -> String.valueOf(((java.util.Map<?, ?>) i).get("compose_hash")))
                .findFirst()
                .orElseThrow();
    SIM.simulator().world().onChain().approveComposeHash(APP, hash);
    assertThatThrownBy(
            () -> client.prepareEnvUpdate(cvm.vmUuid(), EnvSealer.seal(key, more), more.keys()))
        .as("X-Prepare-Only: even an allowed change is only prepared")
        .isInstanceOf(OnChainApprovalRequired.class);
    assertThat(SIM.simulator().world().get(cvm.vmUuid()).boots()).isEqualTo(boots);
  }

  @Test
  void theContractReads_sayTheChain_andWhichNodesDevicesAreAllowed() {
    deploy();

    assertThat(client.onChain().chainOf(APP)).contains(8453L);
    assertThat(client.onChain().allowedNodeNames(APP)).contains(Set.of("sim-us-west-1"));
    assertThat(client.kmsList())
        .filteredOn(k -> k.chainId().equals(Optional.of(8453L)))
        .extracting(KmsInfo::handle)
        .containsExactly("kms-sim-base");
    SIM.simulator().world().onChain().approveDevice(APP, null, true);
    assertThat(client.onChain().allowedNodeNames(APP)).isEmpty();
    assertThat(client.onChain().chainOf(deployPhala())).isEmpty();
  }

  private String deployPhala() {
    Provisioned provisioned =
        client.provision(
            new ProvisionRequest(
                "plain-app", COMPOSE, null, ENV.keys(), "tdx.small", 40, null, null, null));
    SealedEnv sealed = EnvSealer.seal(EnvPublicKey.fromHex(provisioned.envPublicKey()), ENV);
    return client
        .commit(provisioned.appId(), provisioned.composeHash(), sealed, ENV.keys())
        .appId();
  }
}
