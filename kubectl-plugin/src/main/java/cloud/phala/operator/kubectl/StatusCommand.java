package cloud.phala.operator.kubectl;

import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code rollout status NAME [--timeout D]}: follows the app (a watch, and a fresh read every
 * couple of seconds for Secret and ConfigMap changes) until its rollout is done (exit 0), failed or
 * timed out (exit 1), printing each new progress line.
 */
final class StatusCommand {
  private static final Duration RECHECK = Duration.ofSeconds(2);

  private final Cluster cluster;
  private final PrintStream out;

  StatusCommand(Cluster cluster, PrintStream out) {
    this.cluster = cluster;
    this.out = out;
  }

  int run(String name, Duration timeout) throws InterruptedException {
    Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
    LinkedBlockingQueue<Boolean> pokes = new LinkedBlockingQueue<>();
    cluster.get(name);
    try (Watch ignored = watch(name, pokes)) {
      String last = null;
      while (true) {
        RolloutProgress.Progress progress = check(name);
        if (!progress.message().equals(last)) {
          if (progress.state() == RolloutProgress.State.FAILED) {
            throw new UserError(progress.message());
          }
          out.println(progress.message());
          last = progress.message();
        }
        if (progress.state() == RolloutProgress.State.DONE) {
          return 0;
        }
        Duration wait = RECHECK;
        if (deadline != null) {
          Duration left = Duration.between(Instant.now(), deadline);
          if (left.isNegative() || left.isZero()) {
            throw new UserError(
                "timed out waiting for the rollout of phalaapp \"" + name + "\" to finish");
          }
          wait = left.compareTo(RECHECK) < 0 ? left : RECHECK;
        }
        pokes.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        pokes.clear();
      }
    }
  }

  /** A watch that pokes the loop; without watch access, no watch: the loop reads every 2 s. */
  private Watch watch(String name, LinkedBlockingQueue<Boolean> pokes) {
    try {
      return cluster.watch(name, () -> pokes.offer(Boolean.TRUE));
    } catch (KubernetesClientException e) {
      return () -> {};
    }
  }

  private RolloutProgress.Progress check(String name) {
    App app = cluster.get(name);
    PhalaAppStatus.ObservedInputs inputs = app.status().observedInputs;
    Map<String, String> secrets =
        inputs == null || inputs.secrets == null
            ? Map.of()
            : cluster.secretVersions(List.copyOf(inputs.secrets.keySet()));
    Map<String, String> configMaps =
        inputs == null || inputs.configMaps == null
            ? Map.of()
            : cluster.configMapVersions(List.copyOf(inputs.configMaps.keySet()));
    return RolloutProgress.of(app, secrets, configMaps);
  }
}
