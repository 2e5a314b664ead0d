package cloud.phala.operator.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Applies CRD manifests once per JVM and waits until the API server serves them. */
public final class CrdInstaller {
  private static final String GENERATED_DIR = "META-INF/fabric8";
  private static final Set<String> installed = Collections.synchronizedSet(new HashSet<>());

  private CrdInstaller() {}

  /** Applies every generated CRD on the class path (and any extra manifests), once per JVM. */
  public static void installGeneratedAnd(KubernetesClient client, String... extraResources) {
    List<String> resources = new ArrayList<>(generatedCrdResources());
    resources.addAll(List.of(extraResources));
    for (String resource : resources) {
      if (installed.add(resource)) {
        install(client, resource);
      }
    }
  }

  private static void install(KubernetesClient client, String resource) {
    String path = resource.startsWith("/") ? resource.substring(1) : resource;
    try (InputStream in = CrdInstaller.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no CRD manifest on the class path at " + resource);
      }
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.resource(crd).fieldManager("phala-test-support").forceConflicts().serverSideApply();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(CrdInstaller::established, 60, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Every {@code META-INF/fabric8/*-v1.yml} in directories and jars on the class path. */
  static List<String> generatedCrdResources() {
    List<String> found = new ArrayList<>();
    try {
      Enumeration<URL> dirs = CrdInstaller.class.getClassLoader().getResources(GENERATED_DIR);
      while (dirs.hasMoreElements()) {
        URL url = dirs.nextElement();
        if ("file".equals(url.getProtocol())) {
          try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            files
                .map(p -> p.getFileName().toString())
                .filter(CrdInstaller::isGeneratedCrd)
                .forEach(name -> found.add(GENERATED_DIR + "/" + name));
          }
        } else if ("jar".equals(url.getProtocol())) {
          try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
            jar.stream()
                .map(e -> e.getName())
                .filter(n -> n.startsWith(GENERATED_DIR + "/"))
                .filter(n -> isGeneratedCrd(n.substring(GENERATED_DIR.length() + 1)))
                .forEach(found::add);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Collections.sort(found);
    return found;
  }

  private static boolean isGeneratedCrd(String fileName) {
    return fileName.endsWith("-v1.yml") && !fileName.contains("/");
  }
}
