package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client wired straight to an in-process simulator on virtual time: its backoff and {@code
 * Retry-After} waits move the virtual clock, and faults surface as over HTTP.
 */
@Timeout(10)
class InProcessClientTest {
  private static final long JITTER_SEED = 99;
  private static final Duration BOOT = Duration.ofSeconds(30);

  private final VirtualTime time = new VirtualTime();
  private final PhalaSimulator simulator =
      PhalaSimulator.inProcess(
          SimulatorConfig.defaults().withBootTime(BOOT).withShutdownTime(Duration.ofSeconds(5)),
          time);
  private final List<Integer> statuses = new ArrayList<>();
  private final List<Duration> waits = new ArrayList<>();
  private final PhalaCloudClient client =
      PhalaCloudClient.builder(PhalaCloudConfig.of("http://in-process/api/v1", simulator.apiKey()))
          .exchange(new InProcessExchange(simulator))
          .sleeper(
              wait -> {
                waits.add(wait);
                time.advance(wait);
              })
          .clock(time.clock())
          .random(new Random(JITTER_SEED))
          .observer((operation, status, took) -> statuses.add(status))
          .build();

  @AfterEach
  void close() {
    simulator.close();
  }

  private void fault(FaultRule.Kind kind, String path, int status, Duration delay) {
    simulator
        .faults()
        .add(new FaultRule(null, kind, null, Pattern.compile(path), null, 1.0, 1, status, delay));
  }

  private Instant now() {
    return time.clock().instant();
  }

  @Test
  void a429_waitsExactlyItsRetryAfter_inVirtualTime() {
    fault(FaultRule.Kind.RATE_LIMIT, "/api/v1/cvms/paginated", 429, Duration.ofSeconds(3));
    Instant before = now();

    client.listCvms(1, 10);

    assertThat(statuses).containsExactly(429, 200);
    assertThat(now()).isEqualTo(before.plusSeconds(3));
  }

  @Test
  void a503_isRetriedAfterTheSeededJitteredBackoff_inVirtualTime() {
    fault(FaultRule.Kind.ERROR, "/api/v1/cvms/paginated", 503, Duration.ZERO);
    fault(FaultRule.Kind.ERROR, "/api/v1/cvms/paginated", 503, Duration.ZERO);
    Instant before = now();

    client.listCvms(1, 10);

    Random jitter = new Random(JITTER_SEED);
    RetryPolicy policy = RetryPolicy.defaults();
    Duration first = policy.delayAfter(1, Optional.empty(), jitter::nextDouble);
    Duration second = policy.delayAfter(2, Optional.empty(), jitter::nextDouble);
    assertThat(statuses).containsExactly(503, 503, 200);
    assertThat(waits).containsExactly(first, second);
    assertThat(now()).isEqualTo(before.plus(first).plus(second));
  }

  @Test
  void aCvmTheClientDeployed_isRunningOnceVirtualTimePassesItsBoot() {
    Cvm cvm = deploy("web");

    assertThat(client.getCvm(cvm.vmUuid()).status()).isEqualTo("starting");
    time.advance(BOOT);
    assertThat(client.getCvm(cvm.vmUuid()).isServing()).isTrue();
  }

  @Test
  void aLostAnswerToACommit_isNotResent_andSaysItMayHaveBeenApplied() {
    EnvSet env = EnvSet.builder().put("A", "1").build();
    Provisioned p = provision("web", env);
    fault(FaultRule.Kind.LOSE_RESPONSE, "/api/v1/cvms", 0, Duration.ZERO);

    Throwable thrown =
        catchThrowable(() -> client.commit(p.appId(), p.composeHash(), sealed(p, env), env.keys()));

    assertThat(thrown).isInstanceOf(PhalaTransportException.class);
    assertThat(statuses).endsWith(0);
    assertThat(simulator.world().listApp(p.appId())).hasSize(1);
  }

  @Test
  void a502AfterAnEnvUpdateWasApplied_isNotResent_andSaysTheOutcomeIsUnknown() {
    Cvm cvm = deploy("web");
    time.advance(BOOT);
    fault(FaultRule.Kind.ERROR_AFTER_APPLY, ".*/envs", 502, Duration.ZERO);
    statuses.clear();

    Throwable thrown =
        catchThrowable(
            () ->
                client.updateEnvs(
                    cvm.vmUuid(),
                    EnvSealer.seal(
                        EnvPublicKey.fromHex(cvm.envPublicKey()),
                        EnvSet.builder().put("A", "2").build()),
                    List.of("A")));

    assertThat(thrown).isInstanceOf(PhalaOutcomeUnknownException.class);
    assertThat(statuses).containsExactly(502);
    assertThat(client.getCvm(cvm.vmUuid()).status()).isEqualTo("shutting_down");
  }

  private Provisioned provision(String name, EnvSet env) {
    return client.provision(
        new ProvisionRequest(name, "services: {}\n", null, env.keys(), "tdx.small", 40, null));
  }

  private static SealedEnv sealed(Provisioned p, EnvSet env) {
    return EnvSealer.seal(EnvPublicKey.fromHex(p.envPublicKey()), env);
  }

  private Cvm deploy(String name) {
    EnvSet env = EnvSet.builder().put("A", "1").build();
    Provisioned p = provision(name, env);
    return client.commit(p.appId(), p.composeHash(), sealed(p, env), env.keys());
  }
}
