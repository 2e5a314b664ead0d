package cloud.phala.operator.simulator.cloud;

/** A node with what its CVMs take of it: slots, vCPUs, memory and disk. */
public record NodeLoad(
    Placement.Node node, int slots, int cvms, int usedVcpu, int usedMemoryMb, int usedDiskGb) {
  public static final int VCPU = 256;
  public static final int MEMORY_MB = 1_048_576;
  public static final int DISK_GB = 100_000;

  public int remainingSlots() {
    return Math.max(0, slots - cvms);
  }

  public boolean hasRoom() {
    return remainingSlots() > 0;
  }
}
