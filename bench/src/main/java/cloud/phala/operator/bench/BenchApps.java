package cloud.phala.operator.bench;

import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.crd.SecretKeySelector;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.stream.Collectors;

/** PhalaApps for the benchmarks: a small compose whose env comes from Secrets. */
final class BenchApps {
  private BenchApps() {}

  /**
   * App {@code name} in {@link BenchCluster#NS} with {@code replicas}, rolling one replica at a
   * time (maxUnavailable 1, maxSurge 0), its env read from {@code env}.
   */
  static PhalaApp app(String name, int replicas, List<EnvVarSource> env) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName(name);
    app.getMetadata().setNamespace(BenchCluster.NS);
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.replicas = replicas;
    spec.compose = new ContentSource();
    spec.compose.inline =
        "services:\n  a:\n    environment:\n"
            + env.stream()
                .map(v -> "      - " + v.name + "=${" + v.name + "}\n")
                .collect(Collectors.joining());
    spec.env = env;
    spec.rollout = new Rollout();
    spec.rollout.maxUnavailable = new IntOrString(1);
    spec.rollout.maxSurge = new IntOrString(0);
    app.setSpec(spec);
    return app;
  }

  /** Env var {@code name} from key {@code value} of Secret {@code secret}. */
  static EnvVarSource fromSecret(String name, String secret) {
    EnvVarSource var = new EnvVarSource();
    var.name = name;
    var.valueFrom = new EnvVarSource.ValueFrom();
    var.valueFrom.secretKeyRef = new SecretKeySelector();
    var.valueFrom.secretKeyRef.name = secret;
    var.valueFrom.secretKeyRef.key = "value";
    return var;
  }
}
