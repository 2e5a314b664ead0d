package cloud.phala.operator.app;

import cloud.phala.operator.app.cloud.CloudClients;
import cloud.phala.operator.app.cloud.Credentials;
import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.cloud.RevisionKeyStore;
import cloud.phala.operator.app.cloud.SharedCvmListing;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.config.UserAgent;
import cloud.phala.operator.app.journal.IntentJournal;
import cloud.phala.operator.app.owner.AdoptionGrants;
import cloud.phala.operator.app.owner.ApiKeyCopies;
import cloud.phala.operator.app.owner.AppRecords;
import cloud.phala.operator.app.owner.Installation;
import cloud.phala.operator.app.owner.Migration;
import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.app.pace.PassExecutor;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.app.sync.AppSync;
import cloud.phala.operator.app.sync.PassHook;
import cloud.phala.operator.app.web.ApiMetrics;
import cloud.phala.operator.app.web.AppMetrics;
import cloud.phala.operator.app.web.OperatorHttp;
import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** Wires and starts the operator: the reconciler, metrics, health endpoints, leader election. */
public final class OperatorRuntime implements AutoCloseable {
  private final Operator operator;
  private final OperatorHttp http;
  private final PrometheusMeterRegistry registry;
  private final List<AutoCloseable> watches;
  private final Leadership leadership;
  private final Runnable releaseLease;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OperatorRuntime(
      Operator operator,
      OperatorHttp http,
      PrometheusMeterRegistry registry,
      List<AutoCloseable> watches,
      Leadership leadership,
      Runnable releaseLease) {
    this.operator = operator;
    this.http = http;
    this.registry = registry;
    this.watches = watches;
    this.leadership = leadership;
    this.releaseLease = releaseLease;
  }

  public static OperatorRuntime start(OperatorConfig config, KubernetesClient kubernetes) {
    return start(config, kubernetes, PassHook.NONE);
  }

  /** {@code hook}: for tests that stop the operator at a given moment of a pass. */
  public static OperatorRuntime start(
      OperatorConfig config, KubernetesClient kubernetes, PassHook hook) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EventRecorder events = new EventRecorder(kubernetes);
    Credentials credentials = new Credentials(config, kubernetes);
    CloudClients clients =
        new CloudClients(
            config.apiUrl(),
            config.maxConcurrentRequests(),
            new ApiMetrics(registry),
            UserAgent.of(config.shard()));
    Revision revision =
        new Revision(RevisionKeyStore.loadOrCreate(kubernetes, config.operatorNamespace()));
    AppRecords records = new AppRecords(kubernetes, config.operatorNamespace());
    ApiKeyCopies apiKeys = new ApiKeyCopies(kubernetes, config.operatorNamespace());
    AdoptionGrants grants = new AdoptionGrants(kubernetes, config.operatorNamespace());
    Installation installation =
        Migration.run(
            kubernetes,
            config.operatorNamespace(),
            config.watchNamespaces(),
            config.clusterName(),
            records);
    Ownerships owners =
        new Ownerships(
            records, apiKeys, grants, installation.identity(), config.operatorNamespace());
    SharedCvmListing listing = new SharedCvmListing(Clock.systemUTC(), config.steadyPoll());
    AppSync sync =
        new AppSync(
            config,
            credentials,
            clients,
            new EnvKeyTrust(config.trustedKmsKeys(), installation, config.allowUnverifiedKeys()),
            revision,
            events,
            listing,
            Clock.systemUTC(),
            hook,
            owners);
    IntentJournal journal =
        config.throughput().intentJournal()
            ? IntentJournal.open(
                kubernetes,
                config.operatorNamespace(),
                config.shard().leaseName(),
                IntentJournal.MAX_BYTES)
            : null;
    Leadership leadership = new Leadership();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(kubernetes)
                  .withCloseClientOnStop(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  .withConcurrentReconciliationThreads(config.throughput().reconcileThreads())
                  .withExecutorService(
                      PassExecutor.forReconciles(
                          config.throughput().reconcileThreads(),
                          config.throughput().rolloutsFirst(),
                          registry));
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            config.shard().leaseName())
                        .withLeaseNamespace(config.operatorNamespace())
                        .withIdentity(config.identity())
                        .withLeaseDuration(config.leaseDuration())
                        .withRenewDeadline(config.leaseDuration().multipliedBy(2).dividedBy(3))
                        .withRetryPeriod(config.leaseDuration().dividedBy(5))
                        // OperatorMain exits on a lease lost while running, not on a stop
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(leadership.callbacks())
                        .build());
              }
            });
    operator.register(
        new PhalaAppReconciler(
            config,
            sync,
            credentials,
            clients,
            events,
            new AppMetrics(registry),
            kubernetes,
            owners,
            new JournalPasses(journal)),
        o -> {
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
          o.withItemStore(new TransformingItemStore<>(LeanCaches::lean));
          // apps of other shards raise no event; their Secrets map to none (see the indexers)
          o.withGenericFilter(
              app ->
                  config
                      .shard()
                      .owns(app.getMetadata().getNamespace(), app.getMetadata().getName()));
        });
    operator.start();
    Runnable releaseLease =
        config.leaderElection()
            ? () ->
                Leadership.release(
                    kubernetes,
                    config.operatorNamespace(),
                    config.shard().leaseName(),
                    config.identity())
            : () -> {};
    try {
      return new OperatorRuntime(
          operator,
          new OperatorHttp(config.httpPort(), registry, operator),
          registry,
          List.of(
              credentials::close,
              records,
              apiKeys,
              grants,
              installation,
              journal == null ? () -> {} : journal),
          leadership,
          releaseLease);
    } catch (IOException e) {
      operator.stop();
      credentials.close();
      records.close();
      apiKeys.close();
      grants.close();
      installation.close();
      if (journal != null) {
        journal.close();
      }
      throw new UncheckedIOException("could not serve /metrics on port " + config.httpPort(), e);
    }
  }

  /** The PhalaApps of {@code namespace} as the controller's informer keeps them. */
  @SuppressWarnings("unchecked")
  public List<PhalaApp> cachedApps(String namespace) {
    return operator
        .getRegisteredController(PhalaAppReconciler.NAME)
        .map(c -> (Controller<PhalaApp>) c)
        .map(c -> c.getEventSourceManager().getControllerEventSource())
        .map(source -> source.list(namespace, app -> true).toList())
        .orElse(List.of());
  }

  public int httpPort() {
    return http.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Completes when the leader lease was lost while running (never on {@link #close()}). */
  public CompletableFuture<Void> leaseLost() {
    return leadership.lost();
  }

  /** Stops reconciling, then gives up the leader lease so that another instance leads at once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leadership.stopping();
    http.close();
    operator.stop();
    releaseLease.run();
    for (AutoCloseable watch : watches) {
      try {
        watch.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop watching", e);
      }
    }
  }
}
