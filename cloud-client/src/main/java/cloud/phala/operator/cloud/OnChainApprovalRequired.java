package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * HTTP 465: an on-chain KMS app's change needs its owner's on-chain registration first (a compose
 * hash the app contract does not allow, or a device it does not allow). Carries what the owner must
 * register, each a bounded line of the server's text.
 */
public final class OnChainApprovalRequired extends PhalaApiException {
  private final String composeHash;
  private final String appId;
  private final String deviceId;
  private final Long chainId;
  private PreparedCommit commit;

  OnChainApprovalRequired(
      String operation,
      String errorCode,
      String message,
      String composeHash,
      String appId,
      String deviceId,
      Long chainId) {
    super(operation, 465, errorCode, message);
    this.composeHash = composeHash;
    this.appId = appId;
    this.deviceId = deviceId;
    this.chainId = chainId;
  }

  /** Reads the {@code details} of a 465 body (top level or under {@code detail}). */
  static OnChainApprovalRequired of(
      ObjectMapper json, String operation, String errorCode, String message, byte[] body) {
    JsonNode details = details(json, body);
    OnChainApprovalRequired out =
        new OnChainApprovalRequired(
            operation,
            errorCode,
            message,
            field(details, "compose_hash"),
            field(details, "app_id"),
            field(details, "device_id"),
            chainId(details));
    String token = field(details, "commit_token");
    if (token != null) {
      out.commit =
          new PreparedCommit(
              null, token, field(details, "commit_url"), field(details, "api_commit_url"));
    }
    return out;
  }

  /**
   * The commit token {@code PATCH /cvms/{id}} answers with: a bearer capability that commits this
   * prepared update once the owner's transaction registered its hash; never put in a message.
   */
  public Optional<PreparedCommit> commit() {
    return Optional.ofNullable(commit);
  }

  /** The prepared update was of CVM {@code cvmId}. */
  void preparedFor(String cvmId) {
    if (commit != null) {
      commit = new PreparedCommit(cvmId, commit.token(), commit.url(), commit.apiUrl());
    }
  }

  /**
   * {@code commit_token}, {@code commit_url}, {@code api_commit_url} of a prepared update of CVM
   * {@code cvmId}.
   */
  public record PreparedCommit(String cvmId, String token, String url, String apiUrl) {
    @Override
    public String toString() {
      return "PreparedCommit[cvmId=" + cvmId + ", token=<redacted>]";
    }
  }

  public Optional<String> composeHash() {
    return Optional.ofNullable(composeHash);
  }

  public Optional<String> appId() {
    return Optional.ofNullable(appId);
  }

  public Optional<String> deviceId() {
    return Optional.ofNullable(deviceId);
  }

  public Optional<Long> chainId() {
    return Optional.ofNullable(chainId);
  }

  private static JsonNode details(ObjectMapper json, byte[] body) {
    try {
      JsonNode root = body.length == 0 ? null : json.readTree(body);
      if (root == null) {
        return json.createArrayNode();
      }
      JsonNode top = root.path("details");
      return top.isArray() ? top : root.path("detail").path("details");
    } catch (IOException e) {
      return json.createArrayNode();
    }
  }

  private static JsonNode value(JsonNode details, String field) {
    for (JsonNode d : details) {
      if (field.equals(d.path("field").asText())) {
        return d.path("value");
      }
    }
    return details.path(field);
  }

  private static String field(JsonNode details, String field) {
    JsonNode v = value(details, field);
    return v.isTextual() ? ServerText.oneBoundedLine(v.asText()) : null;
  }

  private static Long chainId(JsonNode details) {
    JsonNode chain = value(details, "kms_info").path("chain_id");
    return chain.canConvertToLong() ? chain.asLong() : null;
  }
}
