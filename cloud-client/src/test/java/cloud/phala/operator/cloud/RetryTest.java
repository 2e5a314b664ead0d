package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import cloud.phala.operator.simulator.hooks.FaultRule;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which answers the client retries, how long it waits, and what it never resends. */
class RetryTest {
  @RegisterExtension static final SimulatorFixture SIM = new SimulatorFixture();

  private final List<Integer> statuses = new CopyOnWriteArrayList<>();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final PhalaCloudClient client =
      SIM.client(RetryPolicy.defaults(), (op, status, took) -> statuses.add(status), waits::add);

  private void fault(FaultRule.Kind kind, String pathRegex, int status, int count, Duration delay) {
    SIM.simulator()
        .faults()
        .add(
            new FaultRule(
                null,
                kind,
                null,
                pathRegex == null ? null : Pattern.compile(pathRegex),
                null,
                1.0,
                count,
                status,
                delay));
  }

  @Test
  void a503_isRetriedWithBackoffUntilItSucceeds() {
    fault(FaultRule.Kind.ERROR, "/api/v1/cvms/paginated", 503, 2, Duration.ZERO);

    CvmPage page = client.listCvms(1, 10);

    assertThat(page.total()).isZero();
    assertThat(statuses).containsExactly(503, 503, 200);
    assertThat(waits)
        .hasSize(2)
        .allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofSeconds(20)));
  }

  @Test
  void a429_waitsWhatRetryAfterSays() {
    fault(FaultRule.Kind.RATE_LIMIT, null, 429, 1, Duration.ofSeconds(3));

    client.listCvms(1, 10);

    assertThat(statuses).containsExactly(429, 200);
    assertThat(waits).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void aBusy409_isRetried_evenForAChange() {
    Cvm cvm = deploy();
    fault(FaultRule.Kind.BUSY, ".*/envs", 409, 2, Duration.ZERO);
    statuses.clear();

    client.updateEnvs(cvm.vmUuid(), sealed(cvm), List.of("A"));

    assertThat(statuses).containsExactly(409, 409, 202);
  }

  @Test
  void aBusy409_failsAChangeAtOnce_forACallerThatNeverChangesABusyCvm() {
    Cvm cvm = deploy();
    PhalaCloudClient once =
        new PhalaCloudClient(
            PhalaCloudConfig.of(SIM.simulator().baseUrl(), SIM.simulator().apiKey())
                .withBusyChangesNotResent(),
            (op, status, took) -> statuses.add(status),
            waits::add);
    fault(FaultRule.Kind.BUSY, ".*/envs", 409, 1, Duration.ZERO);
    statuses.clear();

    assertThatThrownBy(() -> once.updateEnvs(cvm.vmUuid(), sealed(cvm), List.of("A")))
        .isInstanceOfSatisfying(PhalaApiException.class, e -> assertThat(e.isBusy()).isTrue());
    assertThat(statuses).as("sent once, never resent").containsExactly(409);
  }

  @Test
  void a409WithAnErrorCode_isNotRetried() {
    client.provision(
        new ProvisionRequest(
            "same-name", "services: {}\n", null, List.of(), "tdx.small", 40, null));
    Cvm cvm = deployNamed("same-name-2");
    statuses.clear();

    assertThatThrownBy(
            () ->
                client.provision(
                    new ProvisionRequest(
                        cvm.name(), "services: {}\n", null, List.of(), "tdx.small", 40, null)))
        .isInstanceOfSatisfying(
            PhalaApiException.class, e -> assertThat(e.errorCode()).contains("ERR-01-004"));
    assertThat(statuses).containsExactly(409);
  }

  @Test
  void aLostAnswerToAChange_isNeverResent_andSaysItMayHaveBeenApplied() {
    Cvm cvm = deploy();
    fault(FaultRule.Kind.DROP_CONNECTION, ".*/envs", 0, 1, Duration.ZERO);
    statuses.clear();

    assertThatThrownBy(() -> client.updateEnvs(cvm.vmUuid(), sealed(cvm), List.of("A")))
        .isInstanceOfSatisfying(
            PhalaTransportException.class, e -> assertThat(e.mayHaveBeenApplied()).isTrue());
    assertThat(statuses).containsExactly(0);
  }

  @Test
  void aLostAnswerToARead_isRetried() {
    Cvm cvm = deploy();
    fault(FaultRule.Kind.DROP_CONNECTION, "/api/v1/cvms/[^/]+", 0, 1, Duration.ZERO);
    statuses.clear();

    assertThat(client.getCvm(cvm.vmUuid()).vmUuid()).isEqualTo(cvm.vmUuid());
    assertThat(statuses).endsWith(200);
  }

  /** The calls that create or restart something, each sent once against a fresh app. */
  enum Change {
    COMMIT("POST", "/api/v1/cvms"),
    REPLICATE("POST", ".*/replicas"),
    UPDATE_ENVS("PATCH", ".*/envs"),
    UPDATE_COMPOSE("PATCH", ".*/compose_file");

    final String method;
    final String path;

    Change(String method, String path) {
      this.method = method;
      this.path = path;
    }
  }

  /** Prepares {@code change} (deploys what it needs, unfaulted), returns the call itself. */
  private Runnable prepare(Change change) {
    EnvSet env = EnvSet.builder().put("A", "1").build();
    Provisioned p =
        client.provision(
            new ProvisionRequest(
                "change-" + change.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                "services: {}\n",
                null,
                env.keys(),
                "tdx.small",
                40,
                null));
    SealedEnv sealed = EnvSealer.seal(EnvPublicKey.fromHex(p.envPublicKey()), env);
    if (change == Change.COMMIT) {
      return () -> client.commit(p.appId(), p.composeHash(), sealed, env.keys());
    }
    Cvm cvm = client.commit(p.appId(), p.composeHash(), sealed, env.keys());
    await().atMost(Duration.ofSeconds(10)).until(() -> client.getCvm(cvm.vmUuid()).isServing());
    String composeHash = client.getCvm(cvm.vmUuid()).composeHash();
    return switch (change) {
      case REPLICATE -> () -> client.replicate(cvm.vmUuid(), sealed(cvm), composeHash);
      case UPDATE_ENVS -> () -> client.updateEnvs(cvm.vmUuid(), sealed(cvm), List.of("A"));
      case UPDATE_COMPOSE ->
          () -> {
            String hash =
                client.provisionComposeUpdate(
                    cvm.vmUuid(), new ComposeSpec("services: {}\n", null, List.of("A")));
            statuses.clear();
            client.commitComposeUpdate(cvm.vmUuid(), hash, sealed(cvm), List.of("A"));
          };
      default -> throw new IllegalStateException();
    };
  }

  @ParameterizedTest(name = "{0} answered {1}")
  @MethodSource("gatewayErrorsOnChanges")
  void aGatewayError_toAChange_isSentOnce_andSaysTheOutcomeIsUnknown(Change change, int status) {
    Runnable call = prepare(change);
    faultAfterApply(change, status);
    statuses.clear();

    Throwable thrown = catchThrowable(call::run);

    assertThat(statuses).as("sent once, never resent").containsExactly(status);
    assertThat(thrown)
        .isInstanceOfSatisfying(
            PhalaOutcomeUnknownException.class,
            e -> {
              assertThat(e.mayHaveBeenApplied()).isTrue();
              assertThat(e.status()).isEqualTo(status);
            })
        .hasMessageContaining("HTTP " + status)
        .hasMessageContaining("the outcome is unknown")
        .message()
        .doesNotContain(SIM.simulator().apiKey())
        .doesNotContain("encrypted_env");
  }

  static Stream<Arguments> gatewayErrorsOnChanges() {
    return Stream.of(Change.values())
        .flatMap(c -> Stream.of(Arguments.of(c, 502), Arguments.of(c, 504)));
  }

  @Test
  void aGatewayError_afterAReplicaWasCreated_leavesExactlyOneNewReplica() {
    Runnable replicate = prepare(Change.REPLICATE);
    faultAfterApply(Change.REPLICATE, 504);

    Throwable thrown = catchThrowable(replicate::run);

    assertThat(SIM.simulator().world().list()).as("the source and one replica").hasSize(2);
    assertThat(thrown).isInstanceOf(PhalaOutcomeUnknownException.class);
  }

  @ParameterizedTest(name = "{0} answered {1}")
  @MethodSource("refusalsOfChanges")
  void aRefusalThatSaysNothingWasDone_toAChange_isRetried(Change change, int status) {
    Runnable call = prepare(change);
    fault(
        status == 429 ? FaultRule.Kind.RATE_LIMIT : FaultRule.Kind.ERROR,
        change.path,
        status,
        1,
        Duration.ZERO);
    statuses.clear();

    call.run();

    assertThat(statuses).hasSize(2).startsWith(status);
    assertThat(statuses.get(1)).isBetween(200, 299);
  }

  static Stream<Arguments> refusalsOfChanges() {
    return Stream.of(Change.values())
        .flatMap(c -> Stream.of(Arguments.of(c, 503), Arguments.of(c, 429)));
  }

  @ParameterizedTest(name = "answered {0}")
  @ValueSource(ints = {502, 504})
  void aGatewayError_toARead_isRetried(int status) {
    fault(FaultRule.Kind.ERROR, "/api/v1/cvms/paginated", status, 1, Duration.ZERO);

    client.listCvms(1, 10);

    assertThat(statuses).containsExactly(status, 200);
  }

  private void faultAfterApply(Change change, int status) {
    SIM.simulator()
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.ERROR_AFTER_APPLY,
                change.method,
                Pattern.compile(change.path),
                null,
                1.0,
                1,
                status,
                Duration.ZERO));
  }

  @Test
  void afterTheLastAttempt_theLastErrorIsThrown() {
    PhalaCloudClient impatient =
        SIM.client(
            new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1)),
            (o, s, t) -> statuses.add(s),
            d -> {});
    fault(FaultRule.Kind.ERROR, "/api/v1/cvms/paginated", 503, 5, Duration.ZERO);

    assertThatThrownBy(() -> impatient.listCvms(1, 10))
        .isInstanceOfSatisfying(
            PhalaApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThat(statuses).containsExactly(503, 503);
  }

  private Cvm deploy() {
    return deployNamed("retry-app");
  }

  private Cvm deployNamed(String name) {
    EnvSet env = EnvSet.builder().put("A", "1").build();
    Provisioned p =
        client.provision(
            new ProvisionRequest(name, "services: {}\n", null, env.keys(), "tdx.small", 40, null));
    return client.commit(
        p.appId(),
        p.composeHash(),
        EnvSealer.seal(EnvPublicKey.fromHex(p.envPublicKey()), env),
        env.keys());
  }

  private static SealedEnv sealed(Cvm cvm) {
    return EnvSealer.seal(
        EnvPublicKey.fromHex(cvm.envPublicKey()), EnvSet.builder().put("A", "2").build());
  }
}
