package cloud.phala.operator.app.config;

import cloud.phala.operator.crypto.KmsRootKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, read from environment variables (the Helm chart sets them).
 *
 * <pre>
 *   PHALA_API_URL                     Phala Cloud API prefix (default https://cloud-api.phala.com/api/v1)
 *   PHALA_DEFAULT_CREDENTIALS         namespace/secret/key of the operator-wide API key (optional)
 *   PHALA_DEFAULT_CREDENTIALS_NAMESPACES  namespaces allowed to use it: a comma list, or * (default none)
 *   WATCH_NAMESPACES                  comma list; empty watches all namespaces
 *   PHALA_TRUSTED_KMS_KEYS            comma list of trusted KMS root keys (k256, hex); empty: trust on first use, per installation
 *   PHALA_ALLOW_UNVERIFIED_KEYS       true lets a PhalaApp skip the KMS signature check (default false)
 *   PHALA_KMS_ID                      KMS id or slug to ask for env keys of adopted apps without spec.kms.id (default: the app's kind's KMS in GET /kms)
 *   PHALA_MAX_CONCURRENT_REQUESTS     requests in flight, one limit for every API key (default 16)
 *   OPERATOR_NAMESPACE                where the revision key Secret and the leader Lease live (default phala-system)
 *   PHALA_CLUSTER_NAME                prefix of CVM names (this installation's identity); default: generated once, kept in the operator's namespace
 *   HTTP_PORT                         /metrics, /healthz, /readyz (default 8080; 0 picks one)
 *   PROGRESS_POLL / STEADY_POLL       how often to look at CVMs while converging / at rest (default 2s / 60s)
 *   LEADER_ELECTION                   true to elect a leader with a Lease (default false)
 *   POD_NAME                          this instance's identity in the Lease (default a random id)
 *   LEASE_DURATION                    how long a lost leader keeps the Lease (default 15s)
 *   EXIT_ON_LOST_LEASE                OperatorMain exits 1 when another instance took the Lease (default true)
 *   SHARD_COUNT                       how many shards split the PhalaApps (default 1: this process reconciles all)
 *   SHARD                             this process's shard, 0 to SHARD_COUNT - 1 (default: the ordinal ending POD_NAME)
 *   RECONCILE_THREADS                 passes running at once, JOSDK's concurrentReconciliationThreads (default 50, 1 to 1000)
 *   PASS_ORDER                        arrival (default, JOSDK's order) or rollouts-first: a running rollout's next pass goes
 *                                     before queued first passes (PassExecutor; measured in bench/results/secret-to-patch.md)
 *   KUBE_CLIENT_QPS                   Kubernetes API requests per second, a client-side token bucket (default 0: no limit)
 *   KUBE_CLIENT_BURST                 requests above KUBE_CLIENT_QPS allowed at once (default 2 x KUBE_CLIENT_QPS; needs KUBE_CLIENT_QPS)
 *   DSTACK_VERIFIER_URL               base URL (http or https) of a self-hosted dstack verifier, for apps with
 *                                     spec.attestation.verifier dstack (default none); operator-wide so that no
 *                                     namespace can point the operator's requests at an address of its choosing
 *   INTENT_JOURNAL                    on: the intents of updates go to one ConfigMap per shard, written once for every pass
 *                                     waiting (docs/operator.md, "The intent journal"); off (default): to each app's status
 * </pre>
 */
public record OperatorConfig(
    String apiUrl,
    Optional<SecretKeyRef> defaultCredentials,
    Set<String> defaultCredentialNamespaces,
    Set<String> watchNamespaces,
    List<KmsRootKey> trustedKmsKeys,
    boolean allowUnverifiedKeys,
    Optional<String> kmsId,
    int maxConcurrentRequests,
    String operatorNamespace,
    Optional<String> clusterName,
    int httpPort,
    Duration progressPoll,
    Duration steadyPoll,
    boolean leaderElection,
    String identity,
    Duration leaseDuration,
    boolean exitOnLostLease,
    Shard shard,
    Throughput throughput,
    Optional<URI> dstackVerifierUrl) {

  /** A key of a Secret in a given namespace. */
  public record SecretKeyRef(String namespace, String name, String key) {}

  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    String identity =
        env.getOrDefault(
            "POD_NAME", "phala-operator-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    return new OperatorConfig(
        env.getOrDefault("PHALA_API_URL", "https://cloud-api.phala.com/api/v1"),
        Optional.ofNullable(env.get("PHALA_DEFAULT_CREDENTIALS"))
            .filter(s -> !s.isBlank())
            .map(OperatorConfig::secretKeyRef),
        list(env.get("PHALA_DEFAULT_CREDENTIALS_NAMESPACES")),
        list(env.get("WATCH_NAMESPACES")),
        list(env.get("PHALA_TRUSTED_KMS_KEYS")).stream().map(KmsRootKey::fromHex).toList(),
        Boolean.parseBoolean(env.getOrDefault("PHALA_ALLOW_UNVERIFIED_KEYS", "false")),
        Optional.ofNullable(env.get("PHALA_KMS_ID")).filter(s -> !s.isBlank()),
        Integer.parseInt(env.getOrDefault("PHALA_MAX_CONCURRENT_REQUESTS", "16")),
        env.getOrDefault("OPERATOR_NAMESPACE", "phala-system"),
        Optional.ofNullable(env.get("PHALA_CLUSTER_NAME"))
            .map(String::trim)
            .filter(s -> !s.isEmpty()),
        Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080")),
        duration(env, "PROGRESS_POLL", "2s"),
        duration(env, "STEADY_POLL", "60s"),
        Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION", "false")),
        identity,
        duration(env, "LEASE_DURATION", "15s"),
        Boolean.parseBoolean(env.getOrDefault("EXIT_ON_LOST_LEASE", "true")),
        Shard.of(env.get("SHARD_COUNT"), env.get("SHARD"), identity),
        Throughput.fromEnvironment(env),
        httpUrl(env, "DSTACK_VERIFIER_URL"));
  }

  /** Whether a namespace may deploy with the operator-wide credentials. */
  public boolean defaultCredentialsAllowedIn(String namespace) {
    return defaultCredentials.isPresent()
        && (defaultCredentialNamespaces.contains("*")
            || defaultCredentialNamespaces.contains(namespace));
  }

  /**
   * {@code 500ms}, {@code 0.5s}, {@code 2s}, {@code 1m}, {@code 1h30m}; anything else is refused.
   */
  static Duration duration(Map<String, String> env, String name, String fallback) {
    String text = env.getOrDefault(name, fallback).trim();
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      return Duration.parse("PT" + text.toUpperCase());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          name + " must be a duration such as 500ms, 0.5s, 2s, 1m or 1h30m, not '" + text + "'");
    }
  }

  /**
   * An absolute http or https URL without user info, query or fragment; the refusal does not echo
   * the value, which could carry a credential.
   */
  static Optional<URI> httpUrl(Map<String, String> env, String name) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + " is not a URL");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          name + " must be an absolute http or https URL without user info, query or fragment");
    }
    return Optional.of(uri);
  }

  private static SecretKeyRef secretKeyRef(String text) {
    String[] parts = text.split("/");
    if (parts.length != 3) {
      throw new IllegalArgumentException("PHALA_DEFAULT_CREDENTIALS must be namespace/secret/key");
    }
    return new SecretKeyRef(parts[0], parts[1], parts[2]);
  }

  private static Set<String> list(String text) {
    if (text == null || text.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
