package cloud.phala.operator.bench;

/** CPU time used, in nanoseconds, and the load. */
final class Cpu {
  private Cpu() {}

  static long jvm() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Child processes of this JVM: the kube-apiserver and etcd the benchmark started. */
  static long children() {
    return ProcessHandle.current()
        .descendants()
        .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L))
        .sum();
  }

  /** The system's 1-minute load average. */
  static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
