package cloud.phala.operator.app;

import cloud.phala.operator.app.cloud.CloudClients;
import cloud.phala.operator.app.cloud.Credentials;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.owner.AdoptionGrants;
import cloud.phala.operator.app.owner.AppRecord;
import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.app.resolve.References;
import cloud.phala.operator.app.resolve.SourceLookup;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.app.sync.AppSync;
import cloud.phala.operator.app.sync.SyncResult;
import cloud.phala.operator.app.web.AppMetrics;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The JOSDK glue: Secret and ConfigMap changes reach exactly the PhalaApps that reference them
 * (through an index), each pass is {@link AppSync}, status is written only when it changed in a way
 * that cannot wait ({@link StatusWrites}), and deletion honours {@code deletionPolicy}.
 */
@ControllerConfiguration(name = PhalaAppReconciler.NAME, fieldManager = "phala-operator")
public final class PhalaAppReconciler implements Reconciler<PhalaApp>, Cleaner<PhalaApp> {
  public static final String NAME = "phalaapp";
  private static final String SECRET_INDEX = "phalaapp-secret-refs";
  private static final String CONFIGMAP_INDEX = "phalaapp-configmap-refs";
  private static final Logger LOG = LoggerFactory.getLogger(PhalaAppReconciler.class);

  private final OperatorConfig config;
  private final AppSync sync;
  private final Credentials credentials;
  private final CloudClients clients;
  private final EventRecorder events;
  private final AppMetrics metrics;
  private final ReferencedSecrets referencedSecrets;
  private final Ownerships owners;
  private final StatusWrites statuses = new StatusWrites();
  private final JournalPasses journals;
  private InformerEventSource<Secret, PhalaApp> secrets;
  private InformerEventSource<ConfigMap, PhalaApp> configMaps;

  public PhalaAppReconciler(
      OperatorConfig config,
      AppSync sync,
      Credentials credentials,
      CloudClients clients,
      EventRecorder events,
      AppMetrics metrics,
      KubernetesClient kubernetes,
      Ownerships owners,
      JournalPasses journals) {
    this.owners = owners;
    this.journals = journals;
    this.referencedSecrets = new ReferencedSecrets(kubernetes);
    this.metrics = metrics;
    this.config = config;
    this.sync = sync;
    this.credentials = credentials;
    this.clients = clients;
    this.events = events;
  }

  @Override
  public List<EventSource<?, PhalaApp>> prepareEventSources(EventSourceContext<PhalaApp> context) {
    context
        .getPrimaryCache()
        .addIndexer(SECRET_INDEX, app -> keys(app, References.secrets(app.getSpec())));
    context
        .getPrimaryCache()
        .addIndexer(CONFIGMAP_INDEX, app -> keys(app, References.configMaps(app.getSpec())));
    secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, PhalaApp.class)
                .withName("secrets")
                .withSecondaryToPrimaryMapper(s -> referencing(context, SECRET_INDEX, s))
                .withNamespacesInheritedFromController()
                .withItemStore(new TransformingItemStore<>(ReferencedSecrets::metadataOnly))
                .withOnDeleteFilter(
                    (secret, unknown) -> {
                      referencedSecrets.forget(ResourceID.fromResource(secret));
                      return true;
                    })
                .build(),
            context);
    configMaps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, PhalaApp.class)
                .withName("configmaps")
                .withSecondaryToPrimaryMapper(c -> referencing(context, CONFIGMAP_INDEX, c))
                .withNamespacesInheritedFromController()
                .withItemStore(new TransformingItemStore<>(LeanCaches::lean))
                .build(),
            context);
    return List.of(secrets, configMaps, adoptionGrants(context));
  }

  /** An admin's adoption grant reaches the PhalaApp it names at once, not at the next poll. */
  private InformerEventSource<ConfigMap, PhalaApp> adoptionGrants(
      EventSourceContext<PhalaApp> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ConfigMap.class, PhalaApp.class)
            .withName("adoption-grants")
            .withNamespaces(Set.of(config.operatorNamespace()))
            .withLabelSelector(AdoptionGrants.LABEL + "=grant")
            .withSecondaryToPrimaryMapper(
                grant ->
                    grant.getData() == null
                            || grant.getData().get("namespace") == null
                            || grant.getData().get("name") == null
                            || !config
                                .shard()
                                .owns(
                                    grant.getData().get("namespace").trim(),
                                    grant.getData().get("name").trim())
                        ? Set.of()
                        : Set.of(
                            new ResourceID(
                                grant.getData().get("name").trim(),
                                grant.getData().get("namespace").trim())))
            .build(),
        context);
  }

  @Override
  public UpdateControl<PhalaApp> reconcile(PhalaApp app, Context<PhalaApp> context) {
    PhalaAppStatus before = app.getStatus();
    if (before != null && before.envRevision != null) {
      MDC.put(AppSync.LOG_REVISION, before.envRevision);
    }
    SyncResult result;
    try {
      PhalaAppStatus[] written = {before};
      JournalPasses.Pass pass = journals.begin(app, statuses.startingPoint(app));
      result =
          sync.sync(
              app,
              lookup(app),
              status -> {
                statuses.write(app, status, context);
                written[0] = status;
                pass.statusWritten();
              },
              pass.write());
      metrics.observed(app, before, result.status());
      statuses.finish(app, written[0], result.status(), context, pass::statusWritten);
    } catch (ConcurrentModificationException e) {
      // another process (an overlapping shard) or an edit came first: look again, from its write
      statuses.forget(app);
      LOG.info("pass dropped: {}", e.getMessage());
      return UpdateControl.<PhalaApp>noUpdate().rescheduleAfter(config.progressPoll());
    } finally {
      MDC.remove(AppSync.LOG_REVISION);
    }
    referencedSecrets.retainReferenced(id -> referencedByAnother(context, id, null));
    return UpdateControl.<PhalaApp>noUpdate()
        .rescheduleAfter(result.next(config.progressPoll(), config.steadyPoll()));
  }

  /** Whether a PhalaApp other than {@code except} (null: any) references the Secret. */
  private static boolean referencedByAnother(
      Context<PhalaApp> context, ResourceID secret, PhalaApp except) {
    String key = secret.getNamespace().orElse("") + "/" + secret.getName();
    return context.getPrimaryCache().byIndex(SECRET_INDEX, key).stream()
        .anyMatch(
            app ->
                except == null
                    || !ResourceID.fromResource(app).equals(ResourceID.fromResource(except)));
  }

  /**
   * Deletes the CVMs of the app this PhalaApp owns by this installation's record (never by its
   * status, which tenants can write), with the app's API key or, if its namespace already deleted
   * that Secret, the copy in the record; then the record. Lets go of the data of Secrets no other
   * PhalaApp references.
   */
  @Override
  public DeleteControl cleanup(PhalaApp app, Context<PhalaApp> context) {
    metrics.forget(app);
    statuses.forget(app);
    journals.forget(app);
    DeleteControl control = deleteCvms(app);
    referencedSecrets.retainReferenced(id -> referencedByAnother(context, id, app));
    return control;
  }

  private DeleteControl deleteCvms(PhalaApp app) {
    Optional<AppRecord> record = owners.owned(app);
    if (record.isEmpty()) {
      if (app.getStatus() != null && app.getStatus().appId != null) {
        events.normal(
            app,
            Reason.NOTHING_OWNED,
            "this operator has no record of deploying app "
                + app.getStatus().appId
                + " for this PhalaApp: its CVMs are left as they are");
      }
      return DeleteControl.defaultDelete();
    }
    AppRecord owned = record.get();
    if (app.getSpec().deletionPolicy == PhalaAppSpec.DeletionPolicy.Retain) {
      events.normal(
          app,
          Reason.RETAINED,
          "deletionPolicy Retain: app " + owned.appId() + " and its CVMs are left running");
      return DeleteControl.defaultDelete();
    }
    Credentials.Outcome credential = credentials.apiKeyFor(app, lookup(app)::secret);
    Optional<String> apiKey = credential.apiKey().or(() -> owners.apiKeyCopy(owned));
    if (apiKey.isEmpty()) {
      events.warning(
          app, Reason.CLEANUP_BLOCKED, credential.problem() + "; cannot delete the CVMs");
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.steadyPoll());
    }
    PhalaCloudClient client = clients.forKey(apiKey.get());
    try {
      for (Cvm cvm : client.appCvms(owned.appId())) {
        deleteIgnoringMissing(client, cvm.vmUuid());
      }
      owners.released(owned);
      events.normal(app, Reason.DELETED, "deleted every CVM of app " + owned.appId());
      return DeleteControl.defaultDelete();
    } catch (PhalaApiException | PhalaTransportException e) {
      events.warning(app, Reason.CLEANUP_FAILED, e.getMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.progressPoll());
    }
  }

  private static void deleteIgnoringMissing(PhalaCloudClient client, String vmUuid) {
    try {
      client.delete(vmUuid);
    } catch (PhalaApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  private SourceLookup lookup(PhalaApp app) {
    String namespace = app.getMetadata().getNamespace();
    return new SourceLookup() {
      @Override
      public Optional<Secret> secret(String name) {
        return referencedSecrets.withData(secrets.get(new ResourceID(name, namespace)));
      }

      @Override
      public Optional<ConfigMap> configMap(String name) {
        return configMaps.get(new ResourceID(name, namespace));
      }
    };
  }

  /** Indexes only this shard's apps, so a Secret never wakes another shard's app here. */
  private List<String> keys(PhalaApp app, Set<String> names) {
    String namespace = app.getMetadata().getNamespace();
    if (!config.shard().owns(namespace, app.getMetadata().getName())) {
      return List.of();
    }
    return names.stream().map(n -> namespace + "/" + n).toList();
  }

  private static Set<ResourceID> referencing(
      EventSourceContext<PhalaApp> context, String index, HasMetadata source) {
    String key = source.getMetadata().getNamespace() + "/" + source.getMetadata().getName();
    return context.getPrimaryCache().byIndex(index, key).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
