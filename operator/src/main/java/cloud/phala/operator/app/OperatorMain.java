package cloud.phala.operator.app;

import cloud.phala.operator.app.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the operator with its settings from the environment (see {@link OperatorConfig}). */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    if ("json".equalsIgnoreCase(System.getenv("LOG_FORMAT"))) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    Logger log = LoggerFactory.getLogger(OperatorMain.class);
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    OperatorRuntime runtime = OperatorRuntime.start(config, new KubernetesClientBuilder().build());
    log.info(
        "phala-operator started; Phala Cloud at {}, metrics on :{}",
        config.apiUrl(),
        runtime.httpPort());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runtime.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
