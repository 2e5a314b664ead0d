package cloud.phala.operator.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Where tools/k8s/build.sh put the Kubernetes binaries: the same versions file and the same cache
 * rule ({@code PHALA_K8S_CACHE}, else {@code ~/.cache/phala-operator/k8s}).
 */
public final class KubeBinaries {
  private static final String VERSIONS = "versions.properties";

  private final String kubeVersion;
  private final String etcdVersion;
  private final String helmVersion;
  private final Path cacheRoot;

  private KubeBinaries(Properties versions, Path cacheRoot) {
    this.kubeVersion = versions.getProperty("kube.version");
    this.etcdVersion = versions.getProperty("etcd.version");
    this.helmVersion = versions.getProperty("helm.version");
    this.cacheRoot = cacheRoot;
  }

  public static KubeBinaries locate() {
    String override = System.getenv("PHALA_K8S_CACHE");
    return locate(
        override != null && !override.isBlank()
            ? Path.of(override)
            : Path.of(System.getProperty("user.home"), ".cache", "phala-operator", "k8s"));
  }

  static KubeBinaries locate(Path cacheRoot) {
    Properties versions = new Properties();
    try (InputStream in = KubeBinaries.class.getResourceAsStream(VERSIONS)) {
      if (in == null) {
        throw new IllegalStateException("test-support jar lacks " + VERSIONS);
      }
      versions.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new KubeBinaries(versions, cacheRoot);
  }

  public String kubeVersion() {
    return kubeVersion;
  }

  public String etcdVersion() {
    return etcdVersion;
  }

  public String helmVersion() {
    return helmVersion;
  }

  /** The directory kube-api-test calls its test dir: binaries live under {@code k8s/}. */
  public Path kubeApiTestDir() {
    return cacheRoot.resolve("kube-v" + kubeVersion + "-etcd-v" + etcdVersion);
  }

  public Path kubeBinDir() {
    return kubeApiTestDir().resolve("k8s").resolve(kubeVersion + "-linux-" + arch());
  }

  public Path kubectl() {
    return require(kubeBinDir().resolve("kubectl"));
  }

  public Path kubeApiServer() {
    return require(kubeBinDir().resolve("kube-apiserver"));
  }

  public Path etcd() {
    return require(kubeBinDir().resolve("etcd"));
  }

  public Path helm() {
    return require(cacheRoot.resolve("helm-v" + helmVersion).resolve("helm"));
  }

  /** Fails with the command that fixes it, instead of letting kube-api-test try to download. */
  public KubeBinaries requireKubernetes() {
    kubeApiServer();
    kubectl();
    etcd();
    return this;
  }

  private static Path require(Path binary) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary
              + " is missing. Build it with: bash tools/k8s/build.sh"
              + " (./mvnw verify runs it in the validate phase of test-support)");
    }
    return binary;
  }

  private static String arch() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
  }
}
