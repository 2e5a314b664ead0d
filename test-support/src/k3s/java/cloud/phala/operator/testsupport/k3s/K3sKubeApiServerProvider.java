package cloud.phala.operator.testsupport.k3s;

import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiServerProvider;
import cloud.phala.operator.testsupport.KubeBinaries;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** k3s in Docker through Testcontainers, for users who have a Docker engine ({@code -Pk3s}). */
public final class K3sKubeApiServerProvider implements KubeApiServerProvider {
  private static final Logger log = LoggerFactory.getLogger(K3sKubeApiServerProvider.class);
  private static final String NO_DOCKER =
      "Skipping Kubernetes tests: the k3s profile needs a running Docker engine and none was found."
          + " Run without -Pk3s to use the built-in kube-apiserver + etcd.";
  private static final String IMAGE =
      System.getProperty("phala.k3s.image", "rancher/k3s:v1.34.1-k3s1");

  @Override
  public String name() {
    return "k3s";
  }

  @Override
  public KubeApiServerHandle start(KubeBinaries binaries) {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      log.warn(NO_DOCKER);
      throw new TestAbortedException(NO_DOCKER);
    }
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(IMAGE));
    k3s.start();
    Runtime.getRuntime().addShutdownHook(new Thread(k3s::stop, "k3s-stop"));
    return new KubeApiServerHandle(k3s.getKubeConfigYaml(), binaries);
  }
}
