package cloud.phala.operator.demo;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.simulator.cloud.AvailabilityPoint;
import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.SharedKubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * The demo: a real kube-apiserver + etcd, the Phala Cloud simulator and the operator, then {@code
 * kubectl apply -f examples/payments/}, waiting for READY 3/3, changing a Secret, and showing the
 * rotation and the simulator's availability timeline. {@code --once} exits after the rotation.
 */
public final class Demo {
  static final String NAMESPACE = "demo";
  static final String APP = "payments-api";

  /** What the demo showed. */
  public record Outcome(
      String firstRevision, String rotatedRevision, int minServingDuringRotation) {}

  private Demo() {}

  public static void main(String[] args) throws Exception {
    boolean once = List.of(args).contains("--once");
    Duration boot = Duration.ofSeconds(3);
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--boot-time")) {
        boot = Duration.ofMillis(Long.parseLong(args[i + 1]));
      }
    }
    try {
      Outcome outcome = run(Path.of("."), boot, System.out::println, once);
      System.exit(outcome.minServingDuringRotation() >= 2 ? 0 : 1);
    } catch (Exception | AssertionError e) {
      System.err.println("demo failed: " + e.getMessage());
      // the API server, etcd and the simulator run on non-daemon threads: stop them all
      System.exit(1);
    }
  }

  /** Printer of progress lines. */
  public interface Out {
    void println(String line);
  }

  /** {@code repository}: the checkout, for {@code crds/} and {@code examples/payments/}. */
  public static Outcome run(Path repository, Duration bootTime, Out out, boolean once)
      throws Exception {
    Path examples = repository.resolve("examples").resolve("payments");
    out.println("== starting a real kube-apiserver + etcd (built from Go modules on first use)");
    KubeApiServerHandle server = SharedKubeApiServer.get();
    String kubectl = server.binaries().kubectl().toString();
    String kubeconfig = server.kubeConfigFile().toString();
    KubernetesClient client = server.newAdminClient();
    kubectl(
        out,
        kubectl,
        kubeconfig,
        "apply",
        "--server-side",
        "-f",
        repository.resolve("crds").resolve("phalaapps.phala.cloud-v1.yml").toString());
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("phala-system").endMetadata().build())
        .serverSideApply();

    out.println("== starting the Phala Cloud simulator (boot time " + bootTime.toMillis() + " ms)");
    PhalaSimulator simulator =
        PhalaSimulator.start(
            SimulatorConfig.defaults()
                .withBootTime(bootTime)
                .withShutdownTime(bootTime.dividedBy(3)));
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("phala-api")
                .withNamespace("phala-system")
                .endMetadata()
                .withStringData(Map.of("apiKey", simulator.apiKey()))
                .build())
        .serverSideApply();

    out.println("== starting the operator");
    OperatorRuntime operator =
        OperatorRuntime.start(
            OperatorConfig.fromEnvironment(
                Map.of(
                    "PHALA_API_URL", simulator.baseUrl(),
                    "PHALA_DEFAULT_CREDENTIALS", "phala-system/phala-api/apiKey",
                    "PHALA_DEFAULT_CREDENTIALS_NAMESPACES", NAMESPACE,
                    "OPERATOR_NAMESPACE", "phala-system",
                    "HTTP_PORT", "0",
                    "PROGRESS_POLL", "0.5s",
                    "STEADY_POLL", "10s")),
            client);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  simulator.close();
                }));
    out.println("   metrics: http://127.0.0.1:" + operator.httpPort() + "/metrics");

    kubectl(out, kubectl, kubeconfig, "-n", NAMESPACE, "apply", "-f", examples.toString());
    Watcher watcher = new Watcher(client, simulator, out);
    PhalaAppStatus ready =
        watcher.until(
            s -> Integer.valueOf(3).equals(s.updatedReplicas) && "Ready".equals(s.phase),
            Duration.ofMinutes(3));
    out.println(
        "== READY 3/3 on revision "
            + ready.envRevision
            + "; env keys "
            + ready.envKeys
            + " (values stay in the cluster)");

    out.println("== rotating the API token: kubectl apply of a changed Secret payments-keys");
    Instant rotationStart = Instant.now();
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .withName("payments-keys")
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(
                  Map.of("TOKEN", "tok_demo_second", "WEBHOOK_SECRET", "whsec_demo_first"));
              return s;
            });
    PhalaAppStatus rotated =
        watcher.until(
            s ->
                !ready.envRevision.equals(s.envRevision)
                    && Integer.valueOf(3).equals(s.updatedReplicas)
                    && "Ready".equals(s.phase),
            Duration.ofMinutes(3));
    List<AvailabilityPoint> timeline = simulator.world().timeline(rotated.appId);
    int minServing =
        timeline.stream()
            .filter(p -> !p.at().isBefore(rotationStart))
            .mapToInt(AvailabilityPoint::serving)
            .min()
            .orElse(3);
    out.println(
        "== rotated to revision "
            + rotated.envRevision
            + "; availability timeline of the app (serving/total):");
    for (AvailabilityPoint point : timeline) {
      out.println("   " + point.at() + "  " + point.serving() + "/" + point.total());
    }
    out.println("== at least " + minServing + " of 3 replicas served throughout the rotation");
    Outcome outcome = new Outcome(ready.envRevision, rotated.envRevision, minServing);
    if (!once) {
      out.println("== try it yourself:");
      out.println("   export KUBECONFIG=" + kubeconfig);
      out.println("   alias kubectl=" + kubectl);
      out.println("   kubectl -n " + NAMESPACE + " get papp -w");
      out.println(
          "   kubectl -n "
              + NAMESPACE
              + " create secret generic payments-keys --from-literal=TOKEN=new"
              + " --from-literal=WEBHOOK_SECRET=new --dry-run=client -o yaml | kubectl apply -f -");
      out.println(
          "   simulator: PHALA_CLOUD_API_PREFIX="
              + simulator.baseUrl()
              + " PHALA_CLOUD_API_KEY="
              + simulator.apiKey());
      out.println("== Ctrl-C stops everything");
      new CountDownLatch(1).await();
    }
    operator.close();
    simulator.close();
    return outcome;
  }

  private static void kubectl(Out out, String kubectl, String kubeconfig, String... args) {
    List<String> line = new ArrayList<>(List.of(kubectl, "--kubeconfig", kubeconfig));
    line.addAll(List.of(args));
    out.println("$ kubectl " + String.join(" ", args));
    Command.Result result = Command.run(Duration.ofSeconds(60), line).requireSuccess();
    result.output().lines().forEach(l -> out.println("  " + l));
  }

  /** Prints a kubectl-get-like line whenever the app's status changes. */
  private static final class Watcher {
    private final KubernetesClient client;
    private final PhalaSimulator simulator;
    private final Out out;
    private String last;

    Watcher(KubernetesClient client, PhalaSimulator simulator, Out out) {
      this.client = client;
      this.simulator = simulator;
      this.out = out;
    }

    PhalaAppStatus until(Predicate<PhalaAppStatus> done, Duration timeout)
        throws InterruptedException {
      Instant deadline = Instant.now().plus(timeout);
      while (Instant.now().isBefore(deadline)) {
        PhalaApp app = client.resources(PhalaApp.class).inNamespace(NAMESPACE).withName(APP).get();
        PhalaAppStatus status = app == null ? null : app.getStatus();
        if (status != null) {
          String line = line(status);
          if (!Objects.equals(line, last)) {
            out.println(line);
            last = line;
          }
          if (done.test(status)) {
            return status;
          }
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException(
          "the demo app did not get there in " + timeout.toSeconds() + " s");
    }

    private static String line(PhalaAppStatus s) {
      StringBuilder cvms = new StringBuilder();
      if (s.cvms != null) {
        for (PhalaAppStatus.CvmStatus cvm : s.cvms) {
          cvms.append(' ').append(cvm.phase);
        }
      }
      return String.format(
          "%-14s READY %-4s UP-TO-DATE %-2s REVISION %-17s STATUS %-9s CVMs:%s",
          APP, s.ready, s.updatedReplicas, s.envRevision, s.phase, cvms);
    }
  }
}
