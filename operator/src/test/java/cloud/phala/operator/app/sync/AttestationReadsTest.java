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
import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Observe's attestation reads: a simulator CVM's real answer, and that answer broken in each way
 * the evidence library refuses, or with the verifier failing. Every outcome is a verdict (none
 * throws), and none carries evidence content or an env value.
 */
class AttestationReadsTest {
  private static final String CANARY = "canary-8c2e4f-do-not-leak-reads";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PhalaSimulator simulator;
  private static Cvm cvm;
  private static String genuine;

  private String answer;
  private String verify = "ok";
  private String tcbStatus = "UpToDate";
  private int tcbReads;

  @BeforeAll
  static void deploy() {
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
                "attested",
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
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private AttestationVerdict read(AttestationPolicy policy) {
    return read(policy, cvm);
  }

  private AttestationVerdict read(AttestationPolicy policy, Cvm cvm) {
    PhalaExchange exchange =
        (method, path, headers, body) -> {
          if (path.endsWith("/attestations/verify")) {
            return switch (verify) {
              case "timeout" -> throw new IOException("request timed out");
              case "error" -> reply(503, "{\"detail\":\"Service Unavailable\"}");
              case "refused" ->
                  reply(200, "{\"id\":\"x\",\"success\":false,\"proof_of_cloud\":false}");
              default -> reply(200, "{\"id\":\"x\",\"success\":true,\"proof_of_cloud\":false}");
            };
          }
          if (path.endsWith("/attestations/tcb-evaluation")) {
            tcbReads++;
            return switch (tcbStatus) {
              case "error" -> reply(503, "{\"detail\":\"Service Unavailable\"}");
              case "absent" -> reply(200, "{\"app_id\":\"x\",\"instances\":[]}");
              default ->
                  reply(
                      200,
                      "{\"app_id\":\"x\",\"instances\":[{\"vm_uuid\":\""
                          + cvm.vmUuid()
                          + "\",\"evaluation_ok\":true,\"evaluation_status\":\""
                          + tcbStatus
                          + "\"}]}");
            };
          }
          return reply(200, answer);
        };
    PhalaCloudClient client =
        PhalaCloudClient.builder(
                PhalaCloudConfig.of("http://sim.invalid/api/v1", simulator.apiKey())
                    .withRetryPolicy(RetryPolicy.none()))
            .exchange(exchange)
            .build();
    Map<String, AttestationVerdict> out =
        AttestationReads.of(
            client,
            java.util.Optional.empty(),
            policy,
            cvm.appId(),
            List.of(cvm),
            List.of(cvm.vmUuid()));
    AttestationVerdict verdict = out.get(cvm.vmUuid());
    assertThat(verdict.message() + " " + verdict.failedStep()).doesNotContain(CANARY);
    return verdict;
  }

  private static PhalaExchange.Reply reply(int status, String body) {
    return new PhalaExchange.Reply(
        status,
        Map.of("content-type", List.of("application/json")),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static AttestationPolicy policy() {
    return new AttestationPolicy();
  }

  private static ObjectNode genuineTree() throws IOException {
    return (ObjectNode) JSON.readTree(genuine);
  }

  private static ArrayNode events(ObjectNode tree) {
    return (ArrayNode) tree.path("tcb_info").path("event_log");
  }

  private static int index(ArrayNode events, String name) {
    for (int i = 0; i < events.size(); i++) {
      if (name.equals(events.get(i).path("event").asText())) {
        return i;
      }
    }
    throw new AssertionError("no event " + name);
  }

  @Test
  void aGenuineAnswer_isVerified_andWithVerifierNone_saysTheQuoteWasNotChecked() {
    answer = genuine;
    assertThat(read(policy()).kind()).isEqualTo(Kind.VERIFIED);

    AttestationPolicy none = policy();
    none.verifier = AttestationPolicy.Verifier.NONE;
    AttestationVerdict unchecked = read(none);
    assertThat(unchecked.kind()).isEqualTo(Kind.VERIFIED);
    assertThat(unchecked.message()).contains("not checked");
  }

  @Test
  void aQuoteTheVerifierRefuses_failsQuoteVerified() {
    answer = genuine;
    verify = "refused";

    AttestationVerdict verdict = read(policy());

    assertThat(verdict.kind()).isEqualTo(Kind.FAILED);
    assertThat(verdict.failedStep()).isEqualTo("QUOTE_VERIFIED");
  }

  @Test
  void anAnswerThatIsNotJson_isMalformed() {
    answer = "<html>" + CANARY + "</html>";

    AttestationVerdict verdict = read(policy());

    assertThat(verdict.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(verdict.failedStep()).isEqualTo("NOT_JSON");
  }

  @Test
  void anOversizedAnswer_isMalformed_TOO_LARGE() {
    answer = "{\"pad\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}";

    AttestationVerdict verdict = read(policy());

    assertThat(verdict.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(verdict.failedStep()).isEqualTo("TOO_LARGE");
  }

  @Test
  void aMissingComposeHashEvent_isMalformed_MISSING_EVENT() throws IOException {
    ObjectNode tree = genuineTree();
    events(tree).remove(index(events(tree), "compose-hash"));
    answer = tree.toString();

    AttestationVerdict verdict = read(policy());

    assertThat(verdict.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(verdict.failedStep()).isEqualTo("MISSING_EVENT");
  }

  @Test
  void aDuplicateAppIdEvent_isMalformed_DUPLICATE_EVENT() throws IOException {
    ObjectNode tree = genuineTree();
    events(tree).add(events(tree).get(index(events(tree), "app-id")).deepCopy());
    answer = tree.toString();

    AttestationVerdict verdict = read(policy());

    assertThat(verdict.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(verdict.failedStep()).isEqualTo("DUPLICATE_EVENT");
  }

  @Test
  void anOfflineAnswer_isUnavailable() throws IOException {
    ObjectNode tree = genuineTree();
    tree.put("is_online", false);
    tree.put("error", "CVM is not running");
    tree.putNull("tcb_info");
    answer = tree.toString();

    assertThat(read(policy()).kind()).isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void aVerifierError_orTimeout_isAnError_notAFailure() {
    answer = genuine;
    verify = "error";
    assertThat(read(policy()).kind()).isEqualTo(Kind.ERROR);

    verify = "timeout";
    assertThat(read(policy()).kind()).isEqualTo(Kind.ERROR);
  }

  @Test
  void aPinnedMrtd_mustBeTheQuotes() throws IOException {
    answer = genuine;
    AttestationPolicy pinned = policy();
    pinned.mrtd = genuineTree().path("tcb_info").path("mrtd").asText();
    assertThat(read(pinned).kind()).isEqualTo(Kind.VERIFIED);

    AttestationPolicy other = policy();
    other.rtmr1 = "0x" + "ab".repeat(48);
    AttestationVerdict verdict = read(other);
    assertThat(verdict.kind()).isEqualTo(Kind.FAILED);
    assertThat(verdict.failedStep()).isEqualTo("MEASUREMENTS_PINNED");
    assertThat(verdict.message()).contains("rtmr1");
  }

  @Test
  void theListedInstanceId_isExpected_evidenceOfAnotherInstance_failsInstanceMatches() {
    answer = genuine;
    assertThat(cvm.instanceId()).isNotNull();
    assertThat(read(policy()).kind()).isEqualTo(Kind.VERIFIED);

    AttestationVerdict verdict = read(policy(), listedAs(cvm, "00".repeat(20)));

    assertThat(verdict.kind()).isEqualTo(Kind.FAILED);
    assertThat(verdict.failedStep()).isEqualTo("INSTANCE_MATCHES");
    assertThat(verdict.message())
        .isEqualTo("the instance-id event is not the expected instance")
        .doesNotContain(cvm.instanceId());
  }

  @Test
  void aCvmListedWithoutAnInstanceId_isNotCheckedForIt() {
    answer = genuine;

    assertThat(read(policy(), listedAs(cvm, null)).kind()).isEqualTo(Kind.VERIFIED);
  }

  @Test
  void aPinnedKmsIdentity_mustBeTheKeyProviderEventsId() {
    answer = genuine;
    AttestationPolicy pinned = policy();
    pinned.kmsIdentity = "0x" + simulator.world().kms().caIdentity().toUpperCase(Locale.ROOT);
    assertThat(read(pinned).kind()).isEqualTo(Kind.VERIFIED);

    AttestationPolicy other = policy();
    other.kmsIdentity = "ab".repeat(32);
    AttestationVerdict verdict = read(other);
    assertThat(verdict.kind()).isEqualTo(Kind.FAILED);
    assertThat(verdict.failedStep()).isEqualTo("KMS_PINNED");
    assertThat(verdict.message())
        .isEqualTo("the key-provider event's id is not the pinned KMS identity")
        .doesNotContain(simulator.world().kms().caIdentity());
  }

  private static Cvm listedAs(Cvm cvm, String instanceId) {
    return cvm.withInstanceId(instanceId);
  }

  @Test
  void byDefault_UpToDateAndSWHardeningNeeded_areAccepted_anOutOfDateTcb_failsTcbAccepted() {
    answer = genuine;
    assertThat(read(policy()).kind()).isEqualTo(Kind.VERIFIED);
    tcbStatus = "SWHardeningNeeded";
    assertThat(read(policy()).kind()).isEqualTo(Kind.VERIFIED);

    tcbStatus = "OutOfDate";
    AttestationVerdict verdict = read(policy());

    assertThat(verdict.kind()).isEqualTo(Kind.FAILED);
    assertThat(verdict.failedStep()).isEqualTo("TCB_ACCEPTED");
    assertThat(verdict.message()).contains("OutOfDate");
  }

  @Test
  void tcbStatuses_UpToDateOnly_refusesSWHardeningNeeded() {
    answer = genuine;
    tcbStatus = "SWHardeningNeeded";
    AttestationPolicy strict = policy();
    strict.tcbStatuses = List.of(AttestationPolicy.TcbStatus.UpToDate);

    AttestationVerdict verdict = read(strict);

    assertThat(verdict.kind()).isEqualTo(Kind.FAILED);
    assertThat(verdict.failedStep()).isEqualTo("TCB_ACCEPTED");
  }

  @Test
  void aTcbEvaluationThatFails_isAnError_andOneThatDoesNotListTheCvm_isUnavailable() {
    answer = genuine;
    tcbStatus = "error";
    AttestationVerdict failed = read(policy());
    assertThat(failed.kind()).isEqualTo(Kind.ERROR);
    assertThat(failed.message()).contains("the TCB evaluation failed");

    tcbStatus = "absent";
    assertThat(read(policy()).kind()).isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void theTcbEvaluation_isNotRead_whenNoCvmPassedTheOtherChecks() {
    answer = genuine;
    verify = "refused";

    assertThat(read(policy()).failedStep()).isEqualTo("QUOTE_VERIFIED");
    assertThat(tcbReads).isZero();
  }

  @Test
  void aTcbStatusThatIsNotAWord_isNotEchoed() {
    answer = genuine;
    tcbStatus = CANARY;

    AttestationVerdict verdict = read(policy());

    assertThat(verdict.failedStep()).isEqualTo("TCB_ACCEPTED");
    assertThat(verdict.message()).contains("not a known TCB status");
  }
}
