package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.cloud.ApiCallObserver;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import cloud.phala.operator.cloud.ProvisionRequest;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.RecordedExchange;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * At rest the operator looks at its apps through one paginated listing of the account (100 CVMs a
 * page, by offset). A CVM deleted while that listing is being read shifts its later pages, so one
 * listing can miss a CVM that exists. The operator must not take that for the app being gone.
 */
@KubeApiTest
class ListingShiftIT {
  private static final String PAGINATED = "/api/v1/cvms/paginated";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(200));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void aCvmDeletedBetweenTwoPageReads_hidesTheAppFromOneListing_yetItIsNeitherRedeployedNorRescaled(
      KubernetesClient client, TestNamespace ns) {
    PhalaCloudClient phala =
        new PhalaCloudClient(
            PhalaCloudConfig.of(fixture.simulator.baseUrl(), fixture.simulator.apiKey()),
            ApiCallObserver.NONE);
    List<Cvm> others = otherCvms(phala, 100);
    Apps apps = new Apps(client, ns.name());
    apps.secret("db", Map.of("url", "postgres://steady"));
    apps.secret("api", Map.of("token", "steady-token"));
    apps.create("steady", 1, spec -> {});
    PhalaAppStatus settled =
        apps.awaitStatus(
            "steady", s -> Apps.upToDate(s, 1) && Apps.condition(s, "Progressing", "False"));
    String appId = settled.appId;
    String cvm = settled.cvms.get(0).cvmId;
    assertThat(fixture.simulator.world().list())
        .as("the app's CVM is the first of page 2")
        .extracting(c -> c.vmUuid().toString())
        .element(100)
        .isEqualTo(cvm);

    CompletableFuture<Void> pageOneRead = new CompletableFuture<>();
    CompletableFuture<JsonNode> pageTwoAfterDelete = new CompletableFuture<>();
    fixture.simulator.addExchangeListener(
        exchange -> {
          JsonNode page = listingPage(exchange);
          if (page == null) {
            return;
          }
          if (page.path("page").asInt() == 1 && page.path("total").asInt() == 101) {
            pageOneRead.complete(null);
          } else if (page.path("page").asInt() == 2 && pageOneRead.isDone()) {
            pageTwoAfterDelete.complete(page);
          }
        });
    // page reads are slow, so a delete right after page 1 is answered lands before page 2 is read
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.LATENCY,
                "GET",
                Pattern.compile(PAGINATED),
                null,
                1.0,
                null,
                0,
                Duration.ofSeconds(1)));
    fixture.simulator.requestLog().clear();

    await().atMost(Duration.ofSeconds(15)).until(pageOneRead::isDone);
    String deleted = others.get(0).vmUuid();
    phala.delete(deleted);
    JsonNode pageTwo =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> pageTwoAfterDelete.getNow(null), p -> p != null);
    assertThat(pageTwo.path("items")).as("the shift hid the app's CVM from this listing").isEmpty();

    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(9))
        .untilAsserted(
            () -> {
              PhalaAppStatus now = apps.get("steady").getStatus();
              assertThat(now.appId).as("status.appId").isEqualTo(appId);
              assertThat(now.cvms).extracting(c -> c.cvmId).containsExactly(cvm);
              assertThat(changes(deleted)).as("requests that create or remove CVMs").isEmpty();
            });
    assertThat(fixture.simulator.world().listApp(appId))
        .extracting(c -> c.vmUuid().toString())
        .containsExactly(cvm);
    assertThat(fixture.simulator.requestLog().entries())
        .as("the listing that missed the app was checked by reading the app directly")
        .anyMatch(
            e -> e.method().equals("GET") && e.path().equals("/api/v1/apps/" + appId + "/cvms"));
  }

  /** {@code count} CVMs of another app, created before the operator's, so they fill page 1. */
  private static List<Cvm> otherCvms(PhalaCloudClient phala, int count) {
    Provisioned provisioned =
        phala.provision(
            new ProvisionRequest(
                "other",
                "services:\n  other:\n    image: nginx\n",
                null,
                List.of(),
                "tdx.small",
                40,
                null));
    SealedEnv env =
        EnvSealer.seal(EnvPublicKey.fromHex(provisioned.envPublicKey()), EnvSet.empty());
    List<Cvm> out = new ArrayList<>();
    out.add(phala.commit(provisioned.appId(), provisioned.composeHash(), env, List.of()));
    while (out.size() < count) {
      out.add(phala.replicate(out.get(0).vmUuid(), env, provisioned.composeHash()));
    }
    return out;
  }

  /** The answer of a listing page read, or null for any other exchange. */
  private static JsonNode listingPage(RecordedExchange exchange) {
    if (!PAGINATED.equals(exchange.path()) || exchange.status() != 200) {
      return null;
    }
    try {
      return JSON.readTree(exchange.responseBody());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Logged requests that create, add or remove a CVM, but for the test's own delete. */
  private static List<RequestLog.Entry> changes(String deletedByTest) {
    return fixture.simulator.requestLog().entries().stream()
        .filter(
            e ->
                (e.method().equals("POST")
                        && (e.path().equals("/api/v1/cvms/provision")
                            || e.path().equals("/api/v1/cvms")
                            || e.path().endsWith("/replicas")))
                    || (e.method().equals("DELETE") && !e.path().endsWith("/" + deletedByTest)))
        .toList();
  }
}
