package cloud.phala.operator.testsupport;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What a test may know about the shared API server: how to reach it as cluster admin. */
public final class KubeApiServerHandle {
  private final String kubeConfigYaml;
  private final Path kubeConfigFile;
  private final KubeBinaries binaries;
  private final AuditLog auditLog;

  public KubeApiServerHandle(String kubeConfigYaml, KubeBinaries binaries) {
    this(kubeConfigYaml, binaries, null);
  }

  public KubeApiServerHandle(String kubeConfigYaml, KubeBinaries binaries, AuditLog auditLog) {
    this.kubeConfigYaml = kubeConfigYaml;
    this.binaries = binaries;
    this.auditLog = auditLog;
    try {
      this.kubeConfigFile = Files.createTempFile("phala-kubeconfig-", ".yaml");
      Files.writeString(kubeConfigFile, kubeConfigYaml);
      kubeConfigFile.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** A kubeconfig file for {@code kubectl --kubeconfig} and {@code helm --kubeconfig}. */
  public Path kubeConfigFile() {
    return kubeConfigFile;
  }

  /** What ServiceAccounts asked the API server; absent on backends that do not expose it (k3s). */
  public Optional<AuditLog> auditLog() {
    return Optional.ofNullable(auditLog);
  }

  public KubeBinaries binaries() {
    return binaries;
  }

  public Config adminConfig() {
    return Config.fromKubeconfig(kubeConfigYaml);
  }

  /** A new admin client; the caller closes it. */
  public KubernetesClient newAdminClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  public String masterUrl() {
    return adminConfig().getMasterUrl();
  }
}
