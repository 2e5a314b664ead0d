package cloud.phala.operator.simulator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An app-compose document as Phala Cloud stores it: what the client sent plus the server's defaults
 * (Phala Cloud's AppComposeV2). Immutable; its hash is the compose hash the CVM boots with.
 */
public final class AppCompose {
  static final String DEFAULT_PRE_LAUNCH_SCRIPT =
      "#!/bin/bash\n# Phala Cloud default pre-launch script (simulated) v0.0.19\n";

  private final ObjectNode doc;
  private String hash;

  private AppCompose(ObjectNode doc) {
    this.doc = doc;
  }

  /** The client's fields over the server's defaults. */
  public static AppCompose fromRequest(JsonNode requested, String gatewayDomain) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.putArray("allowed_envs");
    doc.put("default_gateway_domain", gatewayDomain);
    doc.putArray("features").add("kms").add("tproxy-net");
    doc.put("gateway_enabled", true);
    doc.put("kms_enabled", true);
    doc.put("local_key_provider_enabled", false);
    doc.put("manifest_version", 2);
    doc.put("name", "");
    doc.put("no_instance_id", false);
    doc.put("pre_launch_script", DEFAULT_PRE_LAUNCH_SCRIPT);
    doc.put("public_logs", true);
    doc.put("public_sysinfo", true);
    doc.put("public_tcbinfo", true);
    doc.put("runner", "docker-compose");
    doc.put("secure_time", false);
    doc.put("storage_fs", "zfs");
    doc.put("tproxy_enabled", true);
    if (requested != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = requested.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getValue().isNull() && !"update_env_vars".equals(field.getKey())) {
          doc.set(field.getKey(), field.getValue().deepCopy());
        }
      }
    }
    boolean onlyOldGatewayFlag =
        requested != null && requested.has("tproxy_enabled") && !requested.has("gateway_enabled");
    if (onlyOldGatewayFlag) {
      doc.put("gateway_enabled", requested.get("tproxy_enabled").asBoolean());
    }
    return new AppCompose(doc);
  }

  public String dockerComposeFile() {
    return doc.path("docker_compose_file").asText("");
  }

  public String preLaunchScript() {
    return doc.path("pre_launch_script").asText("");
  }

  public List<String> allowedEnvs() {
    List<String> keys = new ArrayList<>();
    doc.path("allowed_envs").forEach(k -> keys.add(k.asText()));
    return keys;
  }

  public AppCompose withAllowedEnvs(List<String> keys) {
    ObjectNode copy = doc.deepCopy();
    ArrayNode list = copy.putArray("allowed_envs");
    keys.forEach(list::add);
    return new AppCompose(copy);
  }

  public AppCompose withDockerComposeFile(String compose) {
    ObjectNode copy = doc.deepCopy();
    copy.put("docker_compose_file", compose);
    return new AppCompose(copy);
  }

  public AppCompose withPreLaunchScript(String script) {
    ObjectNode copy = doc.deepCopy();
    copy.put("pre_launch_script", script);
    return new AppCompose(copy);
  }

  public boolean publicLogs() {
    return doc.path("public_logs").asBoolean(true);
  }

  public boolean publicSysinfo() {
    return doc.path("public_sysinfo").asBoolean(true);
  }

  public boolean publicTcbinfo() {
    return doc.path("public_tcbinfo").asBoolean(true);
  }

  /** {@code tcbinfo} null keeps the current flag. */
  public AppCompose withVisibility(boolean logs, boolean sysinfo, Boolean tcbinfo) {
    ObjectNode copy = doc.deepCopy();
    copy.put("public_logs", logs);
    copy.put("public_sysinfo", sysinfo);
    if (tcbinfo != null) {
      copy.put("public_tcbinfo", tcbinfo);
    }
    return new AppCompose(copy);
  }

  /** Computed once: the document never changes. */
  public synchronized String hash() {
    if (hash == null) {
      hash = ComposeHash.of(doc);
    }
    return hash;
  }

  /** The document as Phala Cloud writes it to hash it: SHA-256 of this text is {@link #hash}. */
  public String serialized() {
    return ComposeHash.serialize(ComposeHash.preprocess(doc));
  }

  /** A copy of the document, for responses. */
  public ObjectNode toJson() {
    return doc.deepCopy();
  }
}
