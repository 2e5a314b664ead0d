package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Builds the JSON bodies of the calls that carry a compose. */
final class Requests {
  private Requests() {}

  /** A deploy's phase one: name, compose, instance, and the env keys the app may read. */
  static ObjectNode provision(ObjectMapper json, ProvisionRequest request) {
    ObjectNode body = json.createObjectNode();
    body.put("name", request.name());
    body.set(
        "compose_file",
        composeFile(
            json,
            new ComposeSpec(
                request.dockerComposeFile(), request.preLaunchScript(), request.allowedEnvs())));
    body.put("instance_type", request.instanceType());
    body.put("disk_size", request.diskSizeGb());
    if (request.region() != null) {
      body.put("region", request.region());
    }
    if (request.osImage() != null) {
      body.put("image", request.osImage());
    }
    if (request.nodeId() != null) {
      body.put("teepod_id", request.nodeId());
    }
    body.put("listed", false);
    body.put("kms", "phala");
    strings(body.putArray("env_keys"), request.allowedEnvs());
    return body;
  }

  /** The compose object both provision calls send (a deploy nests it, an update is it). */
  static ObjectNode composeFile(ObjectMapper json, ComposeSpec compose) {
    ObjectNode node = json.createObjectNode();
    node.put("name", "");
    node.put("docker_compose_file", compose.dockerComposeFile());
    if (compose.preLaunchScript() != null) {
      node.put("pre_launch_script", compose.preLaunchScript());
    }
    strings(node.putArray("allowed_envs"), compose.allowedEnvs());
    return node;
  }

  static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
