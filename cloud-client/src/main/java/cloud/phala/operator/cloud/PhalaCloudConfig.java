package cloud.phala.operator.cloud;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Phala Cloud. The API key is held here and sent only as {@code X-API-Key}; {@link
 * #toString()} never prints it, and one a header cannot carry is refused here, by what is wrong
 * with it, never by its value.
 */
public final class PhalaCloudConfig {
  public static final String DEFAULT_BASE_URL = "https://cloud-api.phala.com/api/v1";

  /**
   * The dialect this client reads: the official SDK's default (opaque CVM ids, nested kms_info).
   */
  public static final String API_VERSION = "2026-01-21";

  /** What a client says it is unless told otherwise. */
  public static final String DEFAULT_USER_AGENT = "phala-operator";

  private final URI baseUrl;
  private final String apiKey;
  private final Duration requestTimeout;
  private final int maxConcurrentRequests;
  private final RetryPolicy retryPolicy;
  private final String userAgent;
  private final boolean resendBusyChanges;

  public PhalaCloudConfig(
      URI baseUrl,
      String apiKey,
      Duration requestTimeout,
      int maxConcurrentRequests,
      RetryPolicy retryPolicy) {
    this(
        baseUrl,
        apiKey,
        requestTimeout,
        maxConcurrentRequests,
        retryPolicy,
        DEFAULT_USER_AGENT,
        true);
  }

  private PhalaCloudConfig(
      URI baseUrl,
      String apiKey,
      Duration requestTimeout,
      int maxConcurrentRequests,
      RetryPolicy retryPolicy,
      String userAgent,
      boolean resendBusyChanges) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    apiKeyProblem(apiKey)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(
                  "the API key " + problem + ", so it cannot be sent as the X-API-Key header");
            });
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
    }
    this.maxConcurrentRequests = maxConcurrentRequests;
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
    this.resendBusyChanges = resendBusyChanges;
    if (userAgent.isEmpty() || !userAgent.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("the User-Agent must be printable ASCII on one line");
    }
  }

  /**
   * What makes {@code apiKey} unusable, e.g. {@code contains a line break}, or empty when it is
   * usable: an API key is one or more printable ASCII characters, no whitespace. Never the key.
   */
  public static Optional<String> apiKeyProblem(String apiKey) {
    if (apiKey.isEmpty()) {
      return Optional.of("is empty");
    }
    for (int i = 0; i < apiKey.length(); i++) {
      char c = apiKey.charAt(i);
      if (c == '\n' || c == '\r') {
        return Optional.of("contains a line break");
      }
      if (c == ' ' || c == '\t') {
        return Optional.of("contains whitespace");
      }
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("contains a control character");
      }
      if (c > 0x7e) {
        return Optional.of("contains a character outside printable ASCII");
      }
    }
    return Optional.empty();
  }

  public static PhalaCloudConfig of(String baseUrl, String apiKey) {
    return new PhalaCloudConfig(
        URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl),
        apiKey,
        Duration.ofSeconds(30),
        16,
        RetryPolicy.defaults());
  }

  public PhalaCloudConfig withRetryPolicy(RetryPolicy policy) {
    return new PhalaCloudConfig(
        baseUrl,
        apiKey,
        requestTimeout,
        maxConcurrentRequests,
        policy,
        userAgent,
        resendBusyChanges);
  }

  public PhalaCloudConfig withMaxConcurrentRequests(int max) {
    return new PhalaCloudConfig(
        baseUrl, apiKey, requestTimeout, max, retryPolicy, userAgent, resendBusyChanges);
  }

  public PhalaCloudConfig withRequestTimeout(Duration timeout) {
    return new PhalaCloudConfig(
        baseUrl, apiKey, timeout, maxConcurrentRequests, retryPolicy, userAgent, resendBusyChanges);
  }

  /**
   * Sent as {@code User-Agent} on every request, so Phala Cloud's logs (and the simulator's) tell
   * which process sent what, e.g. {@code phala-operator/0.1.0 (shard 1/3)}. Never put a secret in
   * it.
   */
  public PhalaCloudConfig withUserAgent(String agent) {
    return new PhalaCloudConfig(
        baseUrl,
        apiKey,
        requestTimeout,
        maxConcurrentRequests,
        retryPolicy,
        agent,
        resendBusyChanges);
  }

  public String userAgent() {
    return userAgent;
  }

  /**
   * A change (a restart, an env or compose update, a replica, a commit) that a CVM refuses as busy
   * (409, another operation in progress) fails at once instead of being sent again once the CVM is
   * free. For a caller that never sends a change to a CVM it saw busy: the refusal then means
   * someone else (another process acting on the same app) changed the CVM since, and resending
   * would apply the change a second time on top of theirs.
   */
  public PhalaCloudConfig withBusyChangesNotResent() {
    return new PhalaCloudConfig(
        baseUrl, apiKey, requestTimeout, maxConcurrentRequests, retryPolicy, userAgent, false);
  }

  public boolean resendBusyChanges() {
    return resendBusyChanges;
  }

  public URI baseUrl() {
    return baseUrl;
  }

  String apiKey() {
    return apiKey;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  @Override
  public String toString() {
    return "PhalaCloudConfig[baseUrl=" + baseUrl + ", apiKey=<redacted>]";
  }
}
