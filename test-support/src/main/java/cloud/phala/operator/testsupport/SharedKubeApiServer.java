package cloud.phala.operator.testsupport;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real kube-apiserver + etcd per test JVM, started on first use and stopped at JVM exit. Only
 * these two run: there is no controller-manager, so nothing garbage-collects owned objects and
 * deleted namespaces stay Terminating. Tests that need either do it themselves.
 */
public final class SharedKubeApiServer {
  private static final Logger log = LoggerFactory.getLogger(SharedKubeApiServer.class);

  /** {@code builtin} (default) or the name of a {@link KubeApiServerProvider}, e.g. {@code k3s}. */
  public static final String BACKEND_PROPERTY = "phala.k8s.backend";

  private static final String BUILT_IN = "builtin";
  private static KubeApiServerHandle handle;

  private SharedKubeApiServer() {}

  public static synchronized KubeApiServerHandle get() {
    if (handle == null) {
      handle = isBuiltIn() ? startBuiltIn() : startProvided(backend());
    }
    return handle;
  }

  public static boolean isBuiltIn() {
    return BUILT_IN.equals(backend());
  }

  private static String backend() {
    return System.getProperty(BACKEND_PROPERTY, BUILT_IN);
  }

  private static KubeApiServerHandle startProvided(String name) {
    KubeApiServerProvider provider =
        ServiceLoader.load(KubeApiServerProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        BACKEND_PROPERTY
                            + "="
                            + name
                            + " but no such provider is on the class path"
                            + " (build with -P"
                            + name
                            + ")"));
    return provider.start(KubeBinaries.locate());
  }

  private static KubeApiServerHandle startBuiltIn() {
    KubeBinaries binaries = KubeBinaries.locate().requireKubernetes();
    Path auditPolicy = tempCopy("audit-policy.yaml");
    Path auditLog = auditPolicy.resolveSibling("audit.log");
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(binaries.kubeApiTestDir().toString())
                .withApiServerVersion(binaries.kubeVersion())
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withWaitForEtcdHealthCheckOnStartup(true)
                .withStartupTimeout(120_000)
                .withApiServerFlags(
                    List.of(
                        "--bind-address",
                        "127.0.0.1",
                        "--audit-policy-file",
                        auditPolicy.toString(),
                        "--audit-log-path",
                        auditLog.toString(),
                        "--audit-log-format",
                        "json"))
                .build());
    long start = System.nanoTime();
    server.start();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kube-apiserver-stop"));
    KubeApiServerHandle started =
        new KubeApiServerHandle(server.getKubeConfigYaml(), binaries, new AuditLog(auditLog));
    log.info(
        "kube-apiserver v{} + etcd v{} ready on port {} after {} ms",
        binaries.kubeVersion(),
        binaries.etcdVersion(),
        URI.create(started.masterUrl()).getPort(),
        took.toMillis());
    return started;
  }

  private static Path tempCopy(String resource) {
    try (InputStream in = SharedKubeApiServer.class.getResourceAsStream(resource)) {
      Path dir = Files.createTempDirectory("phala-kube-audit-");
      Path copy = dir.resolve(resource);
      Files.copy(in, copy);
      dir.toFile().deleteOnExit();
      copy.toFile().deleteOnExit();
      dir.resolve("audit.log").toFile().deleteOnExit();
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
