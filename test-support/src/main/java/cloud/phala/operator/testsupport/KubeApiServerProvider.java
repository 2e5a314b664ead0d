package cloud.phala.operator.testsupport;

/**
 * Another way to get a Kubernetes API server for the tests than the built-in kube-apiserver + etcd,
 * found through {@link java.util.ServiceLoader}. The {@code -Pk3s} profile adds one backed by k3s.
 */
public interface KubeApiServerProvider {
  /** The value of the {@code phala.k8s.backend} system property that selects this provider. */
  String name();

  /** Starts the server, or aborts the calling tests when this machine cannot run it. */
  KubeApiServerHandle start(KubeBinaries binaries);
}
