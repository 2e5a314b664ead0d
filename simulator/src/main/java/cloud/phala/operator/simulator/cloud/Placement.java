package cloud.phala.operator.simulator.cloud;

/** Where and how big a CVM is: instance type, resources and the node it runs on. */
public record Placement(String instanceType, int vcpu, int memoryMb, int diskGb, Node node) {

  /** A simulated TEE node and how many CVMs it can hold. */
  public record Node(int id, String name, String region, int cvmSlots) {}
}
