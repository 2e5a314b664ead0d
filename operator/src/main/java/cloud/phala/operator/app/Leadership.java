package cloud.phala.operator.app;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a lease lost while running (another instance holds it now) from one given up on stop, and
 * gives it up on stop so that another instance takes over at once. JOSDK 5.2.3's own handling
 * cannot tell the two apart: with exitOnStopLeading it calls {@code System.exit(1)} on both, and it
 * never releases the lease (it builds fabric8's LeaderElectionConfig with releaseOnCancel false).
 */
final class Leadership {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CompletableFuture<Void> lost = new CompletableFuture<>();

  /**
   * For JOSDK's LeaderElectionConfiguration: notes a loss unless {@link #stopping()} came first.
   */
  LeaderCallbacks callbacks() {
    return new LeaderCallbacks(() -> {}, this::stoppedLeading, leader -> {});
  }

  /** Completes when the lease was lost while running. */
  CompletableFuture<Void> lost() {
    return lost;
  }

  /** From now on, stopping to lead is this instance's own doing. */
  void stopping() {
    stopping.set(true);
  }

  private void stoppedLeading() {
    if (!stopping.get()) {
      log.warn("lost the leader lease while running");
      lost.complete(null);
    }
  }

  /**
   * Clears the holder of the lease {@code leaseName} (one per shard) if it is still {@code
   * identity}, as client-go and fabric8 release a lease (no holder, a 1 s duration). A merge patch,
   * the verb that renews the lease, with the resourceVersion read as a precondition, so it never
   * clears a lease someone else took meanwhile.
   */
  static void release(
      KubernetesClient kubernetes, String namespace, String leaseName, String identity) {
    try {
      Lease lease = kubernetes.leases().inNamespace(namespace).withName(leaseName).get();
      if (lease == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      String now =
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
              .format(Instant.now().atOffset(ZoneOffset.UTC));
      String patch =
          String.format(
              "{\"metadata\":{\"resourceVersion\":\"%s\"},\"spec\":{\"holderIdentity\":null,"
                  + "\"leaseDurationSeconds\":1,\"acquireTime\":\"%s\",\"renewTime\":\"%s\"}}",
              lease.getMetadata().getResourceVersion(), now, now);
      kubernetes
          .leases()
          .inNamespace(namespace)
          .withName(leaseName)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      log.info("released the leader lease");
    } catch (KubernetesClientException e) {
      // a conflict: another instance took it meanwhile; else the lease expires on its own
      log.info("did not release the leader lease (HTTP {})", e.getCode());
    }
  }
}
