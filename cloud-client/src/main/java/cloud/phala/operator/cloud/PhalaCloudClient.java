package cloud.phala.operator.cloud;

import cloud.phala.operator.crypto.SealedEnv;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The Phala Cloud REST API calls the operator makes, typed. Env values never pass through here:
 * only {@link SealedEnv} ciphertext and key names. Thread-safe.
 */
public final class PhalaCloudClient {
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Calls calls;

  /** A client with its own connection, limited to {@code config.maxConcurrentRequests()}. */
  public PhalaCloudClient(PhalaCloudConfig config, ApiCallObserver observer) {
    this(config, observer, new PhalaCloudConnection(config.maxConcurrentRequests()));
  }

  /**
   * A client on a shared {@code connection}, whose limit on requests in flight applies instead of
   * {@code config.maxConcurrentRequests()}.
   */
  public PhalaCloudClient(
      PhalaCloudConfig config, ApiCallObserver observer, PhalaCloudConnection connection) {
    this(builder(config).observer(observer).connection(connection));
  }

  PhalaCloudClient(PhalaCloudConfig config, ApiCallObserver observer, Sleeper sleeper) {
    this(builder(config).observer(observer).sleeper(sleeper));
  }

  PhalaCloudClient(PhalaCloudClientBuilder builder) {
    this(builder.config(), builder.observer(), builder.exchange(), builder.timing());
  }

  private PhalaCloudClient(
      PhalaCloudConfig config,
      ApiCallObserver observer,
      PhalaExchange exchange,
      HttpTransport.Timing timing) {
    this.calls = new Calls(json, new HttpTransport(config, exchange, json, observer, timing));
  }

  /** A client to assemble piece by piece (a simulation swaps in exchange, sleeper, clock). */
  public static PhalaCloudClientBuilder builder(PhalaCloudConfig config) {
    return new PhalaCloudClientBuilder(config);
  }

  /** Phase one of a deploy; safe to repeat (nothing runs until the commit). */
  public Provisioned provision(ProvisionRequest request) {
    ObjectNode body = Requests.provision(json, request);
    JsonNode reply = calls.call("POST /cvms/provision", "POST", "/cvms/provision", body, true);
    return new Provisioned(
        Answers.required(reply, "app_id", "POST /cvms/provision"),
        Answers.required(reply, "compose_hash", "POST /cvms/provision"),
        reply.path("app_env_encrypt_pubkey").asText(null),
        reply.path("kms_id").asText(null),
        Answers.text(reply.path("kms_info").path("k256_pubkey")));
  }

  /** Phase two: creates the app's first CVM. Not repeated after a lost answer. */
  public Cvm commit(String appId, String composeHash, SealedEnv env, List<String> envKeys) {
    ObjectNode body = json.createObjectNode();
    body.put("app_id", appId);
    body.put("compose_hash", composeHash);
    body.put("encrypted_env", env.toHex());
    Requests.strings(body.putArray("env_keys"), envKeys);
    return Answers.createdVm(calls.call("POST /cvms", "POST", "/cvms", body, false));
  }

  public Cvm getCvm(String cvmId) {
    return Answers.cvmInfo(
        calls.call("GET /cvms/{cvm_id}", "GET", "/cvms/" + Calls.segment(cvmId), null, true));
  }

  public CvmPage listCvms(int page, int pageSize) {
    JsonNode reply =
        calls.call(
            "GET /cvms/paginated",
            "GET",
            "/cvms/paginated?page=" + page + "&page_size=" + pageSize,
            null,
            true);
    List<Cvm> items = new ArrayList<>();
    reply.path("items").forEach(item -> items.add(Answers.cvmInfo(item)));
    return new CvmPage(
        items,
        reply.path("total").asInt(),
        reply.path("page").asInt(),
        reply.path("page_size").asInt(),
        reply.path("pages").asInt());
  }

  public List<Cvm> appCvms(String appId) {
    JsonNode reply =
        Answers.read(
            json,
            "GET /apps/{app_id}/cvms",
            calls.send(
                "GET /apps/{app_id}/cvms",
                "GET",
                "/apps/" + Calls.segment(appId) + "/cvms",
                null,
                true),
            JsonNodeType.ARRAY);
    List<Cvm> items = new ArrayList<>();
    reply.forEach(item -> items.add(Answers.cvmInfo(item)));
    return items;
  }

  public CvmState state(String cvmId) {
    JsonNode reply =
        calls.call(
            "GET /cvms/{cvm_id}/state",
            "GET",
            "/cvms/" + Calls.segment(cvmId) + "/state",
            null,
            true);
    return new CvmState(
        reply.path("status").asText(),
        reply.path("in_progress").asBoolean(false),
        Answers.text(reply.path("boot_error")).map(ServerText::oneBoundedLine),
        CompactDuration.parse(reply.path("uptime").asText(null)));
  }

  public AttestationCalls attestations() {
    return new AttestationCalls(calls);
  }

  /** Replaces the CVM's whole env ({@code envKeys} becomes its allowed list); it restarts. */
  public EnvUpdateAccepted updateEnvs(String cvmId, SealedEnv env, List<String> envKeys) {
    ObjectNode body = json.createObjectNode();
    body.put("encrypted_env", env.toHex());
    Requests.strings(body.putArray("env_keys"), envKeys);
    JsonNode reply =
        calls.call(
            "PATCH /cvms/{cvm_id}/envs",
            "PATCH",
            "/cvms/" + Calls.segment(cvmId) + "/envs",
            body,
            false);
    return new EnvUpdateAccepted(
        reply.path("correlation_id").asText(null), reply.path("allowed_envs_changed").asBoolean());
  }

  /**
   * {@code PATCH /cvms/{id}} with {@code X-Prepare-Only: true}: the same env change, prepared and
   * not applied; Phala Cloud answers 465 with a commit token ({@link
   * OnChainApprovalRequired#commit()}), which this throws.
   */
  public void prepareEnvUpdate(String cvmId, SealedEnv env, List<String> envKeys) {
    PreparedCalls.envUpdate(calls, json, cvmId, env, envKeys);
  }

  /** As {@link #prepareEnvUpdate}, for a compose change with its env. */
  public void prepareComposeUpdate(String cvmId, ComposeSpec compose, SealedEnv env) {
    PreparedCalls.composeUpdate(calls, json, cvmId, compose, env);
  }

  /** Phase one of a compose update; returns the compose hash to commit. */
  public String provisionComposeUpdate(String cvmId, ComposeSpec compose) {
    ObjectNode body = Requests.composeFile(json, compose);
    body.put("update_env_vars", true);
    JsonNode reply =
        calls.call(
            "POST /cvms/{cvm_id}/compose_file/provision",
            "POST",
            "/cvms/" + Calls.segment(cvmId) + "/compose_file/provision",
            body,
            true);
    return reply.path("compose_hash").asText();
  }

  /** Phase two: applies the compose together with the full env; the CVM restarts. */
  public void commitComposeUpdate(
      String cvmId, String composeHash, SealedEnv env, List<String> envKeys) {
    ObjectNode body = json.createObjectNode();
    body.put("compose_hash", composeHash);
    body.put("encrypted_env", env.toHex());
    Requests.strings(body.putArray("env_keys"), envKeys);
    body.put("update_env_vars", true);
    calls.ignoringAnswer(
        "PATCH /cvms/{cvm_id}/compose_file",
        "PATCH",
        "/cvms/" + Calls.segment(cvmId) + "/compose_file",
        body,
        false);
  }

  /**
   * A new CVM of the same app, booting with {@code env} and the app compose whose hash is {@code
   * composeHash} (with its allowed keys: keys of {@code env} outside them are dropped at boot).
   * Naming the hash is required once the app runs more than one compose; null leaves it out.
   */
  public Cvm replicate(String cvmId, SealedEnv env, String composeHash) {
    return replicate(cvmId, env, composeHash, null);
  }

  /** As {@link #replicate(String, SealedEnv, String)}, on node {@code nodeId} (null: any). */
  public Cvm replicate(String cvmId, SealedEnv env, String composeHash, Integer nodeId) {
    ObjectNode body = json.createObjectNode();
    body.put("encrypted_env", env.toHex());
    if (composeHash != null) {
      body.put("compose_hash", composeHash);
    }
    if (nodeId != null) {
      body.put("node_id", nodeId);
    }
    return Answers.createdVm(
        calls.call(
            "POST /cvms/{cvm_id}/replicas",
            "POST",
            "/cvms/" + Calls.segment(cvmId) + "/replicas",
            body,
            false));
  }

  /** The names of the OS images {@code cvmId} can move to, production and development builds. */
  public List<String> availableOsImages(String cvmId) {
    return DayTwoCalls.availableOsImages(calls, cvmId);
  }

  /** Moves the CVM to OS image {@code imageName}; it restarts onto it. */
  public void updateOsImage(String cvmId, String imageName) {
    DayTwoCalls.updateOsImage(calls, cvmId, imageName);
  }

  /** The nodes new CVMs can go to, with what is left on each. */
  public List<AvailableNode> availableNodes() {
    return DayTwoCalls.availableNodes(calls);
  }

  public OnChainReads onChain() {
    return new OnChainReads(calls);
  }

  /** One page of the app's deployment history, newest first; items carry no compose or env. */
  public RevisionPage appRevisions(String appId, int page, int pageSize) {
    return RevisionCalls.appRevisions(calls, appId, page, pageSize);
  }

  /** One revision of the app, with the app compose and sealed env it gives a CVM. */
  public AppRevision appRevision(String appId, String revisionId) {
    return RevisionCalls.appRevision(calls, appId, revisionId);
  }

  /**
   * Restarts the CVM on a revision of its app: that revision's app compose and sealed env, as Phala
   * Cloud keeps them. Not repeated after a lost answer.
   */
  public void redeployRevision(String cvmId, String revisionId) {
    RevisionCalls.redeployRevision(calls, cvmId, revisionId);
  }

  /** Restarts the CVM, compose and env unchanged; not repeated after a lost answer. */
  public void restart(String cvmId) {
    calls.ignoringAnswer(
        "POST /cvms/{cvm_id}/restart",
        "POST",
        "/cvms/" + Calls.segment(cvmId) + "/restart",
        null,
        false);
  }

  public void delete(String cvmId) {
    calls.ignoringAnswer(
        "DELETE /cvms/{cvm_id}", "DELETE", "/cvms/" + Calls.segment(cvmId), null, true);
  }

  public SignedEnvKey envPublicKey(String kmsIdOrSlug, String appId) {
    JsonNode reply =
        calls.call(
            "GET /kms/{kms_id}/pubkey/{app_id}",
            "GET",
            "/kms/" + Calls.segment(kmsIdOrSlug) + "/pubkey/" + Calls.segment(appId),
            null,
            true);
    return new SignedEnvKey(reply.path("public_key").asText(), reply.path("signature").asText());
  }

  /** The KMSs the account can use (first page), Phala's own KMS first as the API lists it. */
  public List<KmsInfo> kmsList() {
    JsonNode reply = calls.call("GET /kms", "GET", "/kms?page=1&page_size=100", null, true);
    List<KmsInfo> out = new ArrayList<>();
    reply.path("items").forEach(item -> out.add(Answers.kmsInfo(item)));
    return out;
  }

  public KmsInfo kms(String kmsIdOrSlug) {
    return Answers.kmsInfo(
        calls.call("GET /kms/{kms_id}", "GET", "/kms/" + Calls.segment(kmsIdOrSlug), null, true));
  }
}
