package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The day-two calls of {@link PhalaCloudClient}: OS images and nodes. */
final class DayTwoCalls {
  private DayTwoCalls() {}

  /** The names of the OS images {@code cvmId} can move to, production and development builds. */
  static List<String> availableOsImages(Calls calls, String cvmId) {
    String operation = "GET /cvms/{cvm_id}/available-os-images";
    String path = "/cvms/" + Calls.segment(cvmId) + "/available-os-images";
    JsonNode reply =
        Answers.read(
            calls.json(),
            operation,
            calls.send(operation, "GET", path, null, true),
            JsonNodeType.ARRAY);
    List<String> names = new ArrayList<>();
    reply.forEach(
        v ->
            List.of("prod", "dev")
                .forEach(k -> Answers.text(v.path(k).path("name")).ifPresent(names::add)));
    return names;
  }

  /** Moves the CVM to OS image {@code imageName}; it restarts onto it. */
  static void updateOsImage(Calls calls, String cvmId, String imageName) {
    ObjectNode body = calls.json().createObjectNode().put("os_image_name", imageName);
    String path = "/cvms/" + Calls.segment(cvmId) + "/os-image";
    calls.ignoringAnswer("PATCH /cvms/{cvm_id}/os-image", "PATCH", path, body, false);
  }

  /** The nodes new CVMs can go to, with what is left on each. */
  static List<AvailableNode> availableNodes(Calls calls) {
    JsonNode reply = calls.call("GET /teepods/available", "GET", "/teepods/available", null, true);
    List<AvailableNode> out = new ArrayList<>();
    reply
        .path("nodes")
        .forEach(
            n ->
                out.add(
                    new AvailableNode(
                        n.path("teepod_id").asInt(),
                        n.path("name").asText(),
                        n.path("region_identifier").asText(null),
                        n.path("remaining_cvm_slots").asInt(),
                        imageNames(n.path("images")))));
    return out;
  }

  private static List<String> imageNames(JsonNode images) {
    List<String> names = new ArrayList<>();
    images.forEach(i -> Answers.text(i.path("name")).ifPresent(names::add));
    return List.copyOf(names);
  }
}
