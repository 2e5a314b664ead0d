package cloud.phala.operator.simulator.cloud;

import java.util.List;
import java.util.Optional;

/** The instance types and TEE nodes the simulated cloud offers. */
public final class Catalog {
  /** An instance type as {@code GET /instance-types} lists it. */
  public record InstanceType(
      String id, String description, int vcpu, int memoryMb, String hourlyRate) {}

  public static final List<InstanceType> INSTANCE_TYPES =
      List.of(
          new InstanceType("tdx.small", "2 vCPU, 4 GB", 2, 4096, "0.058"),
          new InstanceType("tdx.medium", "4 vCPU, 8 GB", 4, 8192, "0.116"),
          new InstanceType("tdx.large", "8 vCPU, 16 GB", 8, 16384, "0.232"),
          new InstanceType("tdx.xlarge", "16 vCPU, 32 GB", 16, 32768, "0.464"));

  public static final int DEFAULT_NODE_SLOTS = 10_000;

  public static final List<Placement.Node> NODES =
      List.of(
          new Placement.Node(1, "sim-us-west-1", "us-west", DEFAULT_NODE_SLOTS),
          new Placement.Node(2, "sim-us-east-1", "us-east", DEFAULT_NODE_SLOTS),
          new Placement.Node(3, "sim-eu-central-1", "eu-central", DEFAULT_NODE_SLOTS));

  public static final int DEFAULT_DISK_GB = 40;

  private Catalog() {}

  static Optional<InstanceType> instanceType(String id) {
    return INSTANCE_TYPES.stream().filter(t -> t.id().equals(id)).findFirst();
  }
}
