package cloud.phala.operator.app.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.sync.decide.AttestationVerdict;
import cloud.phala.operator.app.sync.decide.AttestationVerdict.Kind;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import cloud.phala.operator.cloud.PhalaExchange;
import cloud.phala.operator.cloud.ProvisionRequest;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.cloud.RetryPolicy;
import cloud.phala.operator.cloud.dstack.DstackVerifierClient;
import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.attestation.verifier dstack: QUOTE_VERIFIED and TCB_ACCEPTED come from the operator-wide
 * dstack verifier (a stub speaking its POST /verify), Phala Cloud is asked for neither; the
 * operator's own checks stay; an unreachable or failing verifier is an Error; an app asking for
 * dstack from an operator without one gets VERIFIER_NOT_CONFIGURED and nothing is read. No verdict
 * carries an env value or the quote.
 */
class DstackAttestationReadsTest {
  private static final String CANARY = "canary-31f9-do-not-leak-dstack";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PhalaSimulator simulator;
  private static Cvm cvm;
  private static String genuine;
  private static HttpServer verifier;
  private static volatile int verifierStatus;
  private static volatile String verifierAnswer;
  private static final List<JsonNode> verifierRequests = new ArrayList<>();

  private String answer;
  private final List<String> phalaPaths = new ArrayList<>();

  @BeforeAll
  static void deploy() throws IOException {
    simulator =
        PhalaSimulator.start(
            SimulatorConfig.defaults().withBootTime(Duration.ZERO).withShutdownTime(Duration.ZERO));
    PhalaCloudClient client =
        new PhalaCloudClient(
            PhalaCloudConfig.of(simulator.baseUrl(), simulator.apiKey()),
            cloud.phala.operator.cloud.ApiCallObserver.NONE);
    EnvSet env = EnvSet.builder().put("API_KEY", CANARY).build();
    Provisioned p =
        client.provision(
            new ProvisionRequest(
                "dstack-attested",
                "services:\n  app:\n    image: nginx\n",
                null,
                env.keys(),
                "tdx.small",
                40,
                null));
    Cvm created =
        client.commit(
            p.appId(),
            p.composeHash(),
            EnvSealer.seal(EnvPublicKey.fromHex(p.envPublicKey()), env),
            env.keys());
    cvm =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client.getCvm(created.vmUuid()), Cvm::isServing);
    genuine = client.attestations().of(cvm.vmUuid());
    verifier = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    verifier.createContext(
        "/verify",
        exchange -> {
          synchronized (verifierRequests) {
            verifierRequests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
          }
          byte[] body = verifierAnswer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(verifierStatus, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    verifier.start();
  }

  @AfterAll
  static void stop() {
    simulator.close();
    verifier.stop(0);
  }

  @BeforeEach
  void genuineAnswers() {
    answer = genuine;
    verifies("UpToDate");
    synchronized (verifierRequests) {
      verifierRequests.clear();
    }
  }

  private static void verifies(String tcbStatus) {
    verifierStatus = 200;
    verifierAnswer =
        "{\"is_valid\":false,\"details\":{\"quote_verified\":true,\"event_log_verified\":true,"
            + "\"os_image_hash_verified\":false,\"tcb_status\":"
            + (tcbStatus == null ? "null" : "\"" + tcbStatus + "\"")
            + ",\"advisory_ids\":[]},\"reason\":\"OS image hash verification failed\"}";
  }

  private AttestationVerdict read(AttestationPolicy policy, Optional<DstackVerifierClient> dstack) {
    PhalaExchange exchange =
        (method, path, headers, body) -> {
          phalaPaths.add(path);
          return new PhalaExchange.Reply(
              200,
              Map.of("content-type", List.of("application/json")),
              answer.getBytes(StandardCharsets.UTF_8));
        };
    PhalaCloudClient client =
        PhalaCloudClient.builder(
                PhalaCloudConfig.of("http://sim.invalid/api/v1", simulator.apiKey())
                    .withRetryPolicy(RetryPolicy.none()))
            .exchange(exchange)
            .build();
    AttestationVerdict verdict =
        AttestationReads.of(
                client, dstack, policy, cvm.appId(), List.of(cvm), List.of(cvm.vmUuid()))
            .get(cvm.vmUuid());
    assertThat(verdict.message() + " " + verdict.failedStep())
        .doesNotContain(CANARY)
        .doesNotContain(quoteHex().substring(0, 64));
    return verdict;
  }

  private AttestationVerdict read(AttestationPolicy policy) {
    return read(
        policy,
        Optional.of(
            new DstackVerifierClient(
                URI.create("http://127.0.0.1:" + verifier.getAddress().getPort()),
                Duration.ofSeconds(5))));
  }

  private static AttestationPolicy dstack() {
    AttestationPolicy policy = new AttestationPolicy();
    policy.verifier = AttestationPolicy.Verifier.DSTACK;
    return policy;
  }

  private static String quoteHex() {
    try {
      return JSON.readTree(genuine).path("app_certificates").get(0).path("quote").asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aQuoteTheDstackVerifierVerifies_withAnAcceptedTcb_isVerified_askingPhalaForNeither() {
    AttestationVerdict verdict = read(dstack());

    assertThat(verdict.kind()).isEqualTo(Kind.VERIFIED);
    assertThat(verdict.message()).isEqualTo("every check passed");
    assertThat(phalaPaths)
        .as("only the attestation itself is read from Phala Cloud")
        .allMatch(p -> p.endsWith("/cvms/" + cvm.vmUuid() + "/attestation"));
    JsonNode sent = verifierRequests.get(0);
    assertThat(sent.path("quote").asText()).isEqualToIgnoringCase(quoteHex());
    ArrayNode log = (ArrayNode) readTree(sent.path("event_log").asText());
    assertThat(log)
        .as("the event log as Phala Cloud gave it, in dstack's TdxEvent shape")
        .isEqualTo(readTree(genuine).path("tcb_info").path("event_log"));
    assertThat(sent.has("vm_config")).isFalse();
  }

  @Test
  void aQuoteTheDstackVerifierRefuses_failsQuoteVerified_withItsReason() {
    verifierAnswer =
        "{\"is_valid\":false,\"details\":{\"quote_verified\":false,\"advisory_ids\":[]},"
            + "\"reason\":\"Quote verification failed: signature of "
            + quoteHex()
            + " invalid\"}";

    AttestationVerdict verdict = read(dstack());

    assertThat(verdict.kind()).isEqualTo(Kind.FAILED);
    assertThat(verdict.failedStep()).isEqualTo("QUOTE_VERIFIED");
    assertThat(verdict.message())
        .isEqualTo(
            "the dstack verifier did not verify the quote: Quote verification failed:"
                + " signature of <hex> invalid");
  }

  @Test
  void theDstackVerifiersTcbStatus_isJudgedAgainstTcbStatuses() {
    verifies("SWHardeningNeeded");
    assertThat(read(dstack()).kind()).isEqualTo(Kind.VERIFIED);

    verifies("OutOfDate");
    AttestationVerdict outOfDate = read(dstack());
    assertThat(outOfDate.kind()).isEqualTo(Kind.FAILED);
    assertThat(outOfDate.failedStep()).isEqualTo("TCB_ACCEPTED");
    assertThat(outOfDate.message()).contains("OutOfDate");

    AttestationPolicy strict = dstack();
    strict.tcbStatuses = List.of(AttestationPolicy.TcbStatus.UpToDate);
    verifies("SWHardeningNeeded");
    assertThat(read(strict).failedStep()).isEqualTo("TCB_ACCEPTED");

    verifies(null);
    assertThat(read(dstack()).kind()).isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void theOperatorsOwnChecks_stay_aForgedComposeHashFails_evenIfTheVerifierSaysValid()
      throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(genuine);
    ((ObjectNode) tree.path("tcb_info")).put("app_compose", "{\"forged\":true}");
    answer = tree.toString();

    AttestationVerdict verdict = read(dstack());

    assertThat(verdict.kind()).isEqualTo(Kind.FAILED);
    assertThat(verdict.failedStep()).isEqualTo("APP_COMPOSE_MATCHES");
  }

  @Test
  void aDstackVerifierError_aNonApiAnswer_orNoVerifierListening_isAnError_notAFailure()
      throws IOException {
    verifierStatus = 503;
    verifierAnswer = "{\"error\":\"" + CANARY + "\"}";
    AttestationVerdict unavailable = read(dstack());
    assertThat(unavailable.kind()).isEqualTo(Kind.ERROR);
    assertThat(unavailable.message()).isEqualTo("the dstack verifier answered HTTP 503");

    verifierStatus = 200;
    verifierAnswer = "<html>" + CANARY + "</html>";
    assertThat(read(dstack()).kind()).isEqualTo(Kind.ERROR);

    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    AttestationVerdict nowhere =
        read(
            dstack(),
            Optional.of(
                new DstackVerifierClient(
                    URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2))));
    assertThat(nowhere.kind()).isEqualTo(Kind.ERROR);
    assertThat(nowhere.message()).contains("could not be reached");
  }

  @Test
  void dstack_withoutAnOperatorWideVerifier_isAnError_VERIFIER_NOT_CONFIGURED_andNothingIsRead() {
    AttestationVerdict verdict = read(dstack(), Optional.empty());

    assertThat(verdict.kind()).isEqualTo(Kind.ERROR);
    assertThat(verdict.failedStep()).isEqualTo("VERIFIER_NOT_CONFIGURED");
    assertThat(verdict.message()).contains("DSTACK_VERIFIER_URL");
    assertThat(phalaPaths).isEmpty();
    assertThat(verifierRequests).isEmpty();
  }

  @Test
  void anOperatorWideVerifier_isNotUsed_byAnAppThatDoesNotAskForIt() {
    AttestationPolicy none = new AttestationPolicy();
    none.verifier = AttestationPolicy.Verifier.NONE;

    read(none);

    assertThat(verifierRequests).isEmpty();
    assertThat(phalaPaths)
        .as("the TCB status is Phala Cloud's evaluation, as before")
        .anyMatch(p -> p.endsWith("/attestations/tcb-evaluation"));
  }

  private static JsonNode readTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
