package cloud.phala.operator.simulator.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ComposeHashTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The derived example of protocol section 4.2 (same result in Python and Node). */
  @Test
  void theHash_matchesThePhalaFormVector() throws Exception {
    ObjectNode compose =
        (ObjectNode)
            JSON.readTree(
                "{\"allowed_envs\":[\"API_KEY\"],\"docker_compose_file\":\"services:\\n  app:\\n    image: nginx:alpine\\n\","
                    + "\"features\":[\"kms\",\"tproxy-net\"],\"gateway_enabled\":true,\"kms_enabled\":true,"
                    + "\"manifest_version\":2,\"name\":\"demo-app\",\"public_logs\":true,\"public_sysinfo\":true,"
                    + "\"runner\":\"docker-compose\"}");

    assertThat(ComposeHash.of(compose))
        .isEqualTo("da9fe9e72e7120dea2cb88581890bfc73f32fc067f9d426a819ba0ffe59a16b6");
  }

  @Test
  void serialization_sortsKeysIndentsByFourAndDropsTheSpaceAfterColons() throws Exception {
    ObjectNode node =
        (ObjectNode)
            JSON.readTree("{\"b\":[1,{\"z\":true,\"a\":null}],\"a\":\"x\",\"e\":[],\"o\":{}}");

    assertThat(ComposeHash.serialize(node))
        .isEqualTo(
            "{\n    \"a\":\"x\",\n    \"b\":[\n        1,\n        {\n            \"a\":null,\n"
                + "            \"z\":true\n        }\n    ],\n    \"e\":[],\n    \"o\":{}\n}");
  }

  @Test
  void theUnusedRunnerFieldAndAnEmptyPreLaunchScript_doNotChangeTheHash() throws Exception {
    ObjectNode base =
        (ObjectNode) JSON.readTree("{\"runner\":\"docker-compose\",\"docker_compose_file\":\"x\"}");
    ObjectNode noisy = base.deepCopy().put("bash_script", "echo").put("pre_launch_script", "");

    assertThat(ComposeHash.of(noisy)).isEqualTo(ComposeHash.of(base));
  }

  @Test
  void changingAllowedEnvs_changesTheHash() {
    AppCompose compose =
        AppCompose.fromRequest(JSON.createObjectNode().put("docker_compose_file", "x"), "d");

    assertThat(compose.withAllowedEnvs(java.util.List.of("A")).hash()).isNotEqualTo(compose.hash());
  }
}
