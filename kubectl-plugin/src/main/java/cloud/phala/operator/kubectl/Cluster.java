package cloud.phala.operator.kubectl;

import cloud.phala.operator.crd.PhalaApp;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The API server, reached with the user's kubeconfig (KUBECONFIG, or --kubeconfig), context and
 * namespace, as kubectl would. Reads Secrets and ConfigMaps by metadata only: no value is fetched.
 */
final class Cluster implements AutoCloseable {
  static final String FIELD_MANAGER = "kubectl-phala";
  private static final ResourceDefinitionContext PHALA_APPS =
      ResourceDefinitionContext.fromResourceType(PhalaApp.class);
  private static final String METADATA_ONLY =
      "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

  // A CRD newer than this plugin may carry fields its model lacks: they are skipped, not fatal.
  private static final ObjectMapper LENIENT =
      Serialization.jsonMapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final KubernetesClient client;
  private final String namespace;

  private Cluster(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  static Cluster connect(Args args) {
    if (args.flag("kubeconfig") != null) {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, args.flag("kubeconfig"));
    }
    Config config = Config.autoConfigure(args.flag("context"));
    // Like kubectl: an unreachable server is reported at once, not retried with backoff.
    config.setRequestRetryBackoffLimit(0);
    String namespace = args.flag("namespace");
    if (namespace == null) {
      namespace = config.getNamespace() == null ? "default" : config.getNamespace();
    }
    return new Cluster(new KubernetesClientBuilder().withConfig(config).build(), namespace);
  }

  String namespace() {
    return namespace;
  }

  private Resource<GenericKubernetesResource> resource(String name) {
    return client.genericKubernetesResources(PHALA_APPS).inNamespace(namespace).withName(name);
  }

  /** The app, or a NotFound error as kubectl prints it. */
  App get(String name) {
    GenericKubernetesResource found;
    try {
      found = resource(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) {
        throw new UserError(
            "cannot reach the API server at " + client.getMasterUrl() + ": " + rootCause(e));
      }
      throw e;
    }
    if (found == null) {
      throw UserError.notFound(name);
    }
    return view(found);
  }

  /**
   * A JSON merge patch of {@code json} and nothing else, recorded under the field manager {@code
   * kubectl-phala}. A {@code metadata.resourceVersion} in it makes the write conditional (409 when
   * the app changed since it was read).
   */
  App patch(String name, String json) {
    return view(
        resource(name)
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.JSON_MERGE)
                    .withFieldManager(FIELD_MANAGER)
                    .build(),
                json));
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  private static App view(GenericKubernetesResource resource) {
    return new App(
        LENIENT.convertValue(resource, PhalaApp.class),
        LENIENT.convertValue(resource, OpsFields.class));
  }

  /** The resourceVersion of each named Secret that exists, read as metadata only. */
  Map<String, String> secretVersions(Collection<String> names) {
    return versions("secrets", names);
  }

  /** The resourceVersion of each named ConfigMap that exists, read as metadata only. */
  Map<String, String> configMapVersions(Collection<String> names) {
    return versions("configmaps", names);
  }

  private Map<String, String> versions(String plural, Collection<String> names) {
    Map<String, String> versions = new LinkedHashMap<>();
    String base = client.getMasterUrl().toString().replaceAll("/+$", "");
    for (String name : names) {
      HttpRequest request =
          client
              .getHttpClient()
              .newHttpRequestBuilder()
              .uri(base + "/api/v1/namespaces/" + namespace + "/" + plural + "/" + name)
              .header("Accept", METADATA_ONLY)
              .build();
      HttpResponse<String> response = send(request);
      if (response.code() == 200) {
        JsonNode version =
            client
                .getKubernetesSerialization()
                .unmarshal(response.body(), JsonNode.class)
                .at("/metadata/resourceVersion");
        versions.put(name, version.asText());
      } else if (response.code() != 404) {
        throw new UserError(
            "cannot read the metadata of "
                + plural
                + " \""
                + name
                + "\" (HTTP "
                + response.code()
                + "): rollout status needs get on the Secrets and ConfigMaps the app reads");
      }
    }
    return versions;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.getHttpClient().sendAsync(request, String.class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new UserError(cause instanceof IOException ? cause.getMessage() : cause.toString());
    }
  }

  /** The app's Events (by its uid, so not a deleted namesake's), oldest first. */
  List<Event> events(App app) {
    return client
        .v1()
        .events()
        .inNamespace(namespace)
        .withField("involvedObject.uid", app.app().getMetadata().getUid())
        .list()
        .getItems();
  }

  /** Calls {@code poke} on every change to the app, until closed. */
  Watch watch(String name, Runnable poke) {
    return resource(name)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, GenericKubernetesResource resource) {
                poke.run();
              }

              @Override
              public void onClose(WatcherException cause) {
                poke.run();
              }
            });
  }

  @Override
  public void close() {
    client.close();
  }
}
