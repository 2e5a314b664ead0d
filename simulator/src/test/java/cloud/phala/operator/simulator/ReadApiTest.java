package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReadApiTest {
  @RegisterExtension static final SimulatorExtension SIM = SimulatorExtension.instant();

  private final Deployments deployments = new Deployments(SIM.client());

  @Test
  void aCvm_isFoundByEveryIdentifierFormTheApiAccepts() {
    JsonNode vm = deployments.deploy("ident-app", EnvSet.builder().put("API_KEY", "x").build());
    JsonNode detail = SIM.client().get("/api/v1/cvms/" + vm.get("vm_uuid").asText()).json();
    String uuid = vm.get("vm_uuid").asText();
    List<String> forms =
        List.of(
            uuid,
            uuid.replace("-", ""),
            Integer.toString(vm.get("id").asInt()),
            detail.get("id").asText(),
            "app_" + vm.get("app_id").asText(),
            vm.get("app_id").asText(),
            "instance_" + vm.get("instance_id").asText(),
            "ident-app");

    for (String form : forms) {
      SimClient.Reply reply = SIM.client().get("/api/v1/cvms/" + form);
      assertThat(reply.status()).as(form).isEqualTo(200);
      assertThat(reply.json().get("vm_uuid").asText()).as(form).isEqualTo(uuid);
    }
  }

  @Test
  void api2025_numbersCvms_and2026_usesHashedIds() {
    JsonNode vm = deployments.deploy("dialect-app", EnvSet.builder().put("API_KEY", "x").build());
    String uuid = vm.get("vm_uuid").asText();

    JsonNode legacy = SIM.client().withVersion("2025-10-28").get("/api/v1/cvms/" + uuid).json();
    JsonNode current = SIM.client().withVersion("2026-01-21").get("/api/v1/cvms/" + uuid).json();
    JsonNode latest = SIM.client().withVersion("LATEST").get("/api/v1/cvms/" + uuid).json();

    assertThat(legacy.get("id").isInt()).isTrue();
    assertThat(legacy.get("encrypted_env_pubkey").asText()).matches("[0-9a-f]{64}");
    assertThat(current.get("id").asText()).startsWith("cvm_");
    assertThat(current.get("kms_info").get("encrypted_env_pubkey").asText())
        .isEqualTo(legacy.get("encrypted_env_pubkey").asText());
    assertThat(latest.get("id").asText()).isEqualTo(current.get("id").asText());
  }

  @Test
  void anUnsupportedVersionHeader_isRefusedWith400() {
    SimClient.Reply reply = SIM.client().withVersion("yesterday").get("/api/v1/cvms");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("detail").asText()).contains("X-Phala-Version");
  }

  @Test
  void paginatedList_pagesInCreationOrderWithTotals() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      names.add("page-app-" + i);
      deployments.deploy("page-app-" + i, EnvSet.builder().put("API_KEY", "x").build());
    }

    JsonNode first = SIM.client().get("/api/v1/cvms/paginated?page=1&page_size=2").json();
    JsonNode last = SIM.client().get("/api/v1/cvms/paginated?page=3&page_size=2").json();
    JsonNode beyond = SIM.client().get("/api/v1/cvms/paginated?page=9&page_size=2").json();

    assertThat(first.get("total").asInt()).isEqualTo(5);
    assertThat(first.get("pages").asInt()).isEqualTo(3);
    assertThat(first.get("items"))
        .extracting(i -> i.get("name").asText())
        .containsExactly("page-app-0", "page-app-1");
    assertThat(last.get("items"))
        .extracting(i -> i.get("name").asText())
        .containsExactly("page-app-4");
    assertThat(beyond.get("items")).isEmpty();
    assertThat(SIM.client().get("/api/v1/cvms").json()).hasSize(5);
  }

  @Test
  void paginatedList_refusesAPageSizeOver100LikeFastApi() {
    SimClient.Reply reply = SIM.client().get("/api/v1/cvms/paginated?page_size=101");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("detail").get(0).get("loc"))
        .extracting(JsonNode::asText)
        .containsExactly("query", "page_size");
  }

  @Test
  void legacyListItems_areHostedCvms() {
    deployments.deploy("hosted-app", EnvSet.builder().put("API_KEY", "x").build());

    JsonNode items =
        SIM.client().withVersion("2025-10-28").get("/api/v1/cvms/paginated").json().get("items");

    assertThat(items.get(0).get("hosted").get("name").asText()).isEqualTo("hosted-app");
  }

  @Test
  void anAppsCvms_networkComposeAttestationAndInstanceTypes_areServed() {
    JsonNode vm = deployments.deploy("misc-app", EnvSet.builder().put("API_KEY", "x").build());
    deployments.awaitStatus(vm.get("vm_uuid").asText(), "running");
    String id = vm.get("vm_uuid").asText();

    assertThat(SIM.client().get("/api/v1/apps/" + vm.get("app_id").asText() + "/cvms").json())
        .hasSize(1);
    assertThat(
            SIM.client().get("/api/v1/cvms/" + id + "/network").json().get("is_online").asBoolean())
        .isTrue();
    assertThat(
            SIM.client()
                .get("/api/v1/cvms/" + id + "/compose_file")
                .json()
                .get("docker_compose_file")
                .asText())
        .isEqualTo(Deployments.COMPOSE);
    assertThat(SIM.client().get("/api/v1/cvms/" + id + "/attestation").json().get("tcb_info"))
        .isNotNull();
    assertThat(SIM.client().get("/api/v1/instance-types").json().get("result").get(0).get("items"))
        .isNotEmpty();
    assertThat(SIM.client().get("/api/v1/auth/me").json().get("workspace").get("slug").asText())
        .isEqualTo("simulator");
  }
}
