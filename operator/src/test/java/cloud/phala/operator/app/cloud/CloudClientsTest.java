package cloud.phala.operator.app.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.cloud.ApiCallObserver;
import cloud.phala.operator.cloud.PhalaCloudClient;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every API key the operator is given (one per tenant, and each rotation a new one) gets a client;
 * the clients must not pile up, nor the HTTP selector thread each JDK HTTP client starts.
 */
class CloudClientsTest {
  private static final Pattern SELECTOR_THREAD = Pattern.compile("HttpClient-\\d+-SelectorManager");

  private static long selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> SELECTOR_THREAD.matcher(t.getName()).matches())
        .count();
  }

  @Test
  void cyclingAThousandApiKeys_leavesTheClientsAndTheirThreadsBounded() {
    long threadsBefore = selectorThreads();
    CloudClients clients =
        new CloudClients(
            "http://127.0.0.1:9/api/v1", 16, ApiCallObserver.NONE, "phala-operator/test");
    List<WeakReference<PhalaCloudClient>> made = new ArrayList<>();

    for (int i = 0; i < 1000; i++) {
      made.add(new WeakReference<>(clients.forKey("phak_cycled-" + i)));
    }

    assertThat(selectorThreads() - threadsBefore)
        .as("HTTP selector threads started for 1,000 keys")
        .isLessThanOrEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              System.gc();
              return made.stream().filter(r -> r.get() != null).count() <= 100;
            });
  }

  @Test
  void theSameKey_getsTheSameClient_soItsAppsShareOneListing() {
    CloudClients clients =
        new CloudClients(
            "http://127.0.0.1:9/api/v1", 16, ApiCallObserver.NONE, "phala-operator/test");

    assertThat(clients.forKey("phak_a")).isSameAs(clients.forKey("phak_a"));
    assertThat(clients.forKey("phak_a")).isNotSameAs(clients.forKey("phak_b"));
  }
}
