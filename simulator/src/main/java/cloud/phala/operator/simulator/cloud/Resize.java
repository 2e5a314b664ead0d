package cloud.phala.operator.simulator.cloud;

/**
 * {@code PATCH /cvms/{id}/resources}: null fields stay. An instance type brings its vCPUs and
 * memory unless those are given too. A running CVM restarts to take the new size, so the caller
 * must allow it ({@code allow_restart}).
 */
public record Resize(
    String instanceType, Integer vcpu, Integer memoryMb, Integer diskGb, boolean allowRestart) {

  /** The size after this change, on the same node; 400 for an unknown type or a smaller disk. */
  Placement applyTo(Placement current) {
    String type = instanceType == null ? current.instanceType() : instanceType;
    Catalog.InstanceType known =
        Catalog.instanceType(type)
            .orElseThrow(() -> CloudError.invalidField("instance_type", "Unknown " + type));
    int cpus = vcpu != null ? vcpu : instanceType != null ? known.vcpu() : current.vcpu();
    int memory =
        memoryMb != null ? memoryMb : instanceType != null ? known.memoryMb() : current.memoryMb();
    int disk = diskGb != null ? diskGb : current.diskGb();
    if (cpus < 1 || memory < 1) {
      throw CloudError.invalidField("vcpu", "vcpu and memory must be positive");
    }
    if (disk < current.diskGb()) {
      throw CloudError.invalidField(
          "disk_size", "disk_size can only grow (now " + current.diskGb() + " GB)");
    }
    return new Placement(type, cpus, memory, disk, current.node());
  }
}
