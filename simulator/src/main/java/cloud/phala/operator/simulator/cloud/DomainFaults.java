package cloud.phala.operator.simulator.cloud;

/** Faults injected below the HTTP layer: in the guest's boot and in the KMS. */
public interface DomainFaults {
  /** What the next boot of a CVM does instead of booting normally. */
  enum BootFault {
    NONE,
    FAIL,
    HANG
  }

  BootFault nextBoot(CvmSnapshot cvm);

  boolean corruptKmsSignature(String appId);

  DomainFaults NONE =
      new DomainFaults() {
        @Override
        public BootFault nextBoot(CvmSnapshot cvm) {
          return BootFault.NONE;
        }

        @Override
        public boolean corruptKmsSignature(String appId) {
          return false;
        }
      };
}
