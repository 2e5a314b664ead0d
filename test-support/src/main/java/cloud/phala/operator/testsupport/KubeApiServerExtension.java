package cloud.phala.operator.testsupport;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** See {@link KubeApiTest}. */
public final class KubeApiServerExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(KubeApiServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    KubeApiServerHandle server = SharedKubeApiServer.get();
    KubernetesClient client = server.newAdminClient();
    String[] crds =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), KubeApiTest.class)
            .map(KubeApiTest::crds)
            .orElse(new String[0]);
    CrdInstaller.installGeneratedAnd(client, crds);
    TestNamespace namespace = new TestNamespace(namespaceFor(context.getRequiredTestClass()));
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace.name())
                .endMetadata()
                .build())
        .create();
    ExtensionContext.Store store = context.getStore(STORE);
    store.put(KubernetesClient.class, client);
    store.put(TestNamespace.class, namespace);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(STORE);
    KubernetesClient client = store.get(KubernetesClient.class, KubernetesClient.class);
    TestNamespace namespace = store.get(TestNamespace.class, TestNamespace.class);
    if (client != null) {
      if (namespace != null) {
        // Stays Terminating: no namespace controller runs. Deleting still hides it from tests.
        client.namespaces().withName(namespace.name()).delete();
      }
      client.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubernetesClient.class
        || type == TestNamespace.class
        || type == KubeApiServerHandle.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == KubeApiServerHandle.class) {
      return SharedKubeApiServer.get();
    }
    // A method's store falls back to its class's store, where beforeAll put these.
    return context.getStore(STORE).get(type, type);
  }

  static String namespaceFor(Class<?> testClass) {
    String base =
        testClass
            .getSimpleName()
            .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
            .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
            .toLowerCase(Locale.ROOT);
    base = base.replaceAll("[^a-z0-9-]", "-");
    if (base.length() > 50) {
      base = base.substring(0, 50);
    }
    return base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
  }
}
