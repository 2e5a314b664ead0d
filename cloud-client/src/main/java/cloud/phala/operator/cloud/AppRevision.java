package cloud.phala.operator.cloud;

import cloud.phala.operator.crypto.SealedEnv;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One entry of an app's deployment history on Phala Cloud: what one operation gave a CVM. A list
 * item carries no compose and no env; a revision read by id carries both (the env as ciphertext:
 * empty when the CVM was given none). {@code createdAt}: when Phala Cloud recorded it, if the
 * answer says in a form that can be read.
 */
public record AppRevision(
    String revisionId,
    String appId,
    String vmUuid,
    String composeHash,
    String operationType,
    Optional<ComposeSpec> compose,
    Optional<SealedEnv> env,
    Optional<Instant> createdAt) {

  public AppRevision(
      String revisionId,
      String appId,
      String vmUuid,
      String composeHash,
      String operationType,
      Optional<ComposeSpec> compose,
      Optional<SealedEnv> env) {
    this(revisionId, appId, vmUuid, composeHash, operationType, compose, env, Optional.empty());
  }

  /** An item of {@code AppRevisionsResponse.revisions}. */
  static AppRevision item(JsonNode node, String operation) {
    return new AppRevision(
        Answers.required(node, "revision_id", operation),
        Answers.required(node, "app_id", operation),
        Answers.required(node, "vm_uuid", operation),
        Answers.required(node, "compose_hash", operation),
        node.path("operation_type").asText(""),
        Optional.empty(),
        Optional.empty(),
        instant(node.path("created_at").asText("")));
  }

  /** An ISO-8601 time, with or without a zone (then UTC, as Phala Cloud writes it). */
  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException notLocal) {
        return Optional.empty();
      }
    }
  }

  /** An {@code AppRevisionDetailResponse} with {@code compose_file} as the app compose object. */
  static AppRevision detail(JsonNode node, String operation) {
    AppRevision item = item(node, operation);
    JsonNode compose = node.path("compose_file");
    if (!compose.isObject()) {
      throw new PhalaApiException(operation, 200, null, "answer has no compose_file object");
    }
    List<String> allowed = new ArrayList<>();
    compose.path("allowed_envs").forEach(k -> allowed.add(k.asText()));
    String env = node.path("encrypted_env").asText("");
    try {
      return new AppRevision(
          item.revisionId,
          item.appId,
          item.vmUuid,
          item.composeHash,
          item.operationType,
          Optional.of(
              new ComposeSpec(
                  compose.path("docker_compose_file").asText(""),
                  Answers.text(compose.path("pre_launch_script")).orElse(null),
                  allowed)),
          env.isEmpty() ? Optional.empty() : Optional.of(SealedEnv.fromHex(env)),
          item.createdAt);
    } catch (IllegalArgumentException e) {
      throw new PhalaApiException(
          operation, 200, null, "answer's encrypted_env is not a sealed env");
    }
  }
}
