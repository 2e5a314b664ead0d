package cloud.phala.operator.app.pace;

import cloud.phala.operator.app.config.Throughput;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.locks.LockSupport;

/**
 * The operator's Kubernetes client: fabric8's defaults, plus {@code KUBE_CLIENT_QPS} / {@code
 * KUBE_CLIENT_BURST} as an interceptor that holds each request until the bucket has a token (the
 * calling thread waits, as with client-go's limiter).
 */
public final class KubeClients {
  private KubeClients() {}

  public static KubernetesClient build(Throughput throughput) {
    KubernetesClientBuilder builder = new KubernetesClientBuilder();
    if (throughput.kubeQps() > 0) {
      limited(
          builder,
          new KubeRateLimit(throughput.kubeQps(), throughput.kubeBurst(), System.nanoTime()));
    }
    return builder.build();
  }

  static KubernetesClientBuilder limited(KubernetesClientBuilder builder, KubeRateLimit limit) {
    return builder.withHttpClientBuilderConsumer(
        b -> b.addOrReplaceInterceptor("phala-rate-limit", limited(limit)));
  }

  static Interceptor limited(KubeRateLimit limit) {
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        long until = System.nanoTime() + limit.reserve(System.nanoTime());
        for (long left = until - System.nanoTime();
            left > 0 && !Thread.currentThread().isInterrupted();
            left = until - System.nanoTime()) {
          LockSupport.parkNanos(left);
        }
      }
    };
  }
}
