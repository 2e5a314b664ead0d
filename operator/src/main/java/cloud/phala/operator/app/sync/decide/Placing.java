package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.ProvisionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code spec.placement} applied to a pass's new CVMs: each gets a node ({@link NodePlacement});
 * one no allowed node can take is not created, and a Warning says why (Progressing then says it
 * too). Without {@code spec.placement} Phala Cloud places them.
 */
final class Placing {
  private Placing() {}

  /** The steps with a node on each replica added; replicas no node can take left out. */
  static List<Step> replicas(List<Step> steps, Observation seen, Notes notes) {
    int count = (int) steps.stream().filter(Step.AddReplica.class::isInstance).count();
    EffectiveSpec spec = EffectiveSpec.of(seen.app().getSpec());
    if (!spec.spread() || count == 0) {
      return SourceDevices.allowed(steps, seen, notes);
    }
    List<Integer> nodes = assign(count, spec, seen, notes);
    List<Step> placed = new ArrayList<>();
    int next = 0;
    for (Step step : steps) {
      if (!(step instanceof Step.AddReplica add)) {
        placed.add(step);
      } else if (next < nodes.size()) {
        placed.add(add.on(nodes.get(next++)));
      }
    }
    return placed;
  }

  /**
   * The first CVM's request on its node; null when no node can take it, which Progressing then says
   * (a first deploy reports no health).
   */
  static ProvisionRequest first(
      ProvisionRequest request, Observation seen, StatusDraft draft, Notes notes) {
    EffectiveSpec spec = EffectiveSpec.of(seen.app().getSpec());
    Optional<String> image = OsImageTag.deployRefusal(request.osImage(), seen.cloud().nodes());
    if (image.isPresent()) {
      draft
          .conditions()
          .set(ConditionType.PROGRESSING, false, Reason.OS_IMAGE_UNAVAILABLE, image.get());
      notes.warnOnce(Reason.OS_IMAGE_UNAVAILABLE, image.get());
      return null;
    }
    if (!spec.spread()) {
      return request;
    }
    List<Integer> nodes = assign(1, spec, seen, notes);
    if (nodes.isEmpty()) {
      notes
          .lasting(Reason.NODE_UNAVAILABLE)
          .ifPresent(
              m ->
                  draft
                      .conditions()
                      .set(ConditionType.PROGRESSING, true, Reason.NODE_UNAVAILABLE, m));
      return null;
    }
    return new ProvisionRequest(
        request.name(),
        request.dockerComposeFile(),
        request.preLaunchScript(),
        request.allowedEnvs(),
        request.instanceType(),
        request.diskSizeGb(),
        request.region(),
        request.osImage(),
        nodes.get(0));
  }

  private static List<Integer> assign(
      int count, EffectiveSpec spec, Observation seen, Notes notes) {
    Observation.Cloud cloud = seen.cloud();
    Observation.Lookup<List<AvailableNode>> available = cloud.nodes();
    if (available.value().isEmpty()) {
      notes.warning(
          Reason.CLOUD_ERROR,
          "the nodes new CVMs can go to could not be read: "
              + Objects.requireNonNullElse(available.problem(), "not read"));
      return List.of();
    }
    NodePlacement.Assigned assigned =
        NodePlacement.assign(
            count,
            OnChainGate.allowedNodes(available.value().get(), seen, notes),
            spec.nodeIds(),
            spec.region(),
            cloud.cvms().stream().map(Cvm::nodeId).toList());
    assigned.problem().ifPresent(p -> notes.warnOnce(Reason.NODE_UNAVAILABLE, p));
    return assigned.nodes();
  }
}
