package cloud.phala.operator.app;

import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.pace.KubeClients;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the operator with its settings from the environment (see {@link OperatorConfig}). SIGTERM (a
 * pod's termination) and SIGINT stop it, give up the leader lease and exit 0; a leader lease lost
 * while running exits 1 (with EXIT_ON_LOST_LEASE), so that Kubernetes restarts the pod.
 */
public final class OperatorMain {
  /** The exit status of a lease lost while running. */
  static final int LOST_LEASE = 1;

  private OperatorMain() {}

  public static void main(String[] args) {
    if ("json".equalsIgnoreCase(System.getenv("LOG_FORMAT"))) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    Logger log = LoggerFactory.getLogger(OperatorMain.class);
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    AtomicBoolean started = new AtomicBoolean();
    // the JVM's own handling of these signals would exit 143 or 130 after the shutdown hooks;
    // a signal while the operator starts (it may wait on the API server) exits at once
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(signal),
          s -> {
            if (!started.get()) {
              System.exit(0);
            }
            exit.complete(0);
          });
    }
    OperatorRuntime runtime = OperatorRuntime.start(config, KubeClients.build(config.throughput()));
    started.set(true);
    log.info(
        "phala-operator started; Phala Cloud at {}, metrics on :{}",
        config.apiUrl(),
        runtime.httpPort());
    if (config.exitOnLostLease()) {
      runtime.leaseLost().thenRun(() -> exit.complete(LOST_LEASE));
    }
    // any other way out (System.exit elsewhere, SIGHUP) still stops the operator
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "operator-stop"));
    int status = exit.join();
    log.info(
        status == 0
            ? "stopping on a signal"
            : "stopping: the leader lease was lost, so that a restart rejoins the election");
    runtime.close();
    log.info("stopped");
    System.exit(status);
  }
}
