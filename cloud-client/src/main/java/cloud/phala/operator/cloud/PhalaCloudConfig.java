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

  private final URI baseUrl;
  private final String apiKey;
  private final Duration requestTimeout;
  private final int maxConcurrentRequests;
  private final RetryPolicy retryPolicy;

  public PhalaCloudConfig(
      URI baseUrl,
      String apiKey,
      Duration requestTimeout,
      int maxConcurrentRequests,
      RetryPolicy retryPolicy) {
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
    return new PhalaCloudConfig(baseUrl, apiKey, requestTimeout, maxConcurrentRequests, policy);
  }

  public PhalaCloudConfig withMaxConcurrentRequests(int max) {
    return new PhalaCloudConfig(baseUrl, apiKey, requestTimeout, max, retryPolicy);
  }

  public PhalaCloudConfig withRequestTimeout(Duration timeout) {
    return new PhalaCloudConfig(baseUrl, apiKey, timeout, maxConcurrentRequests, retryPolicy);
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
