package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OS images and nodes, against the simulator. */
class DayTwoCallsTest {
  @RegisterExtension static final SimulatorFixture SIM = new SimulatorFixture();

  private static final String COMPOSE = "services:\n  app:\n    image: nginx\n";
  private static final EnvSet ENV = EnvSet.builder().put("API_KEY", "day-two").build();

  private final PhalaCloudClient client = SIM.client();

  private Cvm deploy(String name, String osImage, Integer nodeId) {
    Provisioned provisioned =
        client.provision(
            new ProvisionRequest(
                name, COMPOSE, null, ENV.keys(), "tdx.small", 40, null, osImage, nodeId));
    SealedEnv sealed = EnvSealer.seal(EnvPublicKey.fromHex(provisioned.envPublicKey()), ENV);
    Cvm created = client.commit(provisioned.appId(), provisioned.composeHash(), sealed, ENV.keys());
    return awaitServing(created.vmUuid());
  }

  private Cvm awaitServing(String vmUuid) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.getCvm(vmUuid), Cvm::isServing);
  }

  @Test
  void aCvmDeployedOnAnImage_reportsIt_andMovesToAnotherItLists() {
    Cvm cvm = deploy("image-app", "dstack-0.5.3", null);
    assertThat(cvm.osImage()).isEqualTo("dstack-0.5.3");
    List<String> available = client.availableOsImages(cvm.vmUuid());
    assertThat(available).contains("dstack-0.5.3", "dstack-0.5.5");

    int boots = SIM.simulator().world().get(cvm.vmUuid()).boots();

    client.updateOsImage(cvm.vmUuid(), "dstack-0.5.5");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> SIM.simulator().world().get(cvm.vmUuid()).boots() == boots + 1);
    assertThat(awaitServing(cvm.vmUuid()).osImage()).isEqualTo("dstack-0.5.5");
    assertThat(client.appCvms(cvm.appId()))
        .extracting(Cvm::osImage)
        .containsExactly("dstack-0.5.5");
  }

  @Test
  void anOsNamedByFamilyAndVersion_readsAsTheImageName() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();

    assertThat(Answers.osImage(json.readTree("{\"name\":\"dstack-0.5.5\",\"version\":\"0.5.5\"}")))
        .contains("dstack-0.5.5");
    assertThat(Answers.osImage(json.readTree("{\"name\":\"dstack\",\"version\":\"0.5.5\"}")))
        .contains("dstack-0.5.5");
    assertThat(
            Answers.osImage(
                json.readTree("{\"name\":\"dstack\",\"version\":\"0.5.5\",\"is_dev\":true}")))
        .contains("dstack-dev-0.5.5");
  }

  @Test
  void theAvailableNodes_areWhereProvisionAndReplicasPlaceCvms() {
    List<AvailableNode> nodes = client.availableNodes();
    assertThat(nodes).hasSizeGreaterThan(1).allMatch(n -> n.remainingSlots() > 0);
    assertThat(nodes.get(0).images()).contains("dstack-0.5.4", "dstack-0.5.5");
    int first = nodes.get(0).id();
    int second = nodes.get(1).id();

    Cvm cvm = deploy("node-app", null, second);
    assertThat(cvm.nodeId()).isEqualTo(second);
    Cvm replica =
        client.replicate(
            cvm.vmUuid(),
            EnvSealer.seal(EnvPublicKey.fromHex(cvm.envPublicKey()), ENV),
            null,
            first);

    assertThat(replica.nodeId()).isEqualTo(first);
    assertThat(awaitServing(replica.vmUuid()).nodeId()).isEqualTo(first);
  }
}
