package cloud.phala.operator.e2e;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeBinaries;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code helm} on the chart in helm/phala-operator and parses what it renders. */
final class Chart {
  static final Path DIR = Path.of("..", "helm", "phala-operator").toAbsolutePath().normalize();
  private static final KubernetesClient PARSER = new KubernetesClientBuilder().build();

  private Chart() {}

  static Command.Result helm(String... args) {
    List<String> line = new ArrayList<>(List.of(KubeBinaries.locate().helm().toString()));
    line.addAll(List.of(args));
    return Command.run(Duration.ofSeconds(60), line);
  }

  /** {@code helm template} with {@code --set} pairs; returns the manifests as text. */
  static String template(String namespace, String... sets) {
    List<String> args =
        new ArrayList<>(List.of("template", "phala", DIR.toString(), "--namespace", namespace));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    return helm(args.toArray(String[]::new)).requireSuccess().output();
  }

  static List<HasMetadata> parse(String manifests) {
    return PARSER
        .load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8)))
        .items();
  }
}
