package cloud.phala.operator.simulator.attest;

import cloud.phala.operator.simulator.cloud.CvmSnapshot;

/** Which attestation fault, if any, the next read of a CVM's attestation gets. */
@FunctionalInterface
public interface AttestationFaults {
  AttestationFaults NONE = cvm -> AttestationFault.NONE;

  AttestationFault next(CvmSnapshot cvm);

  /** Intel's TCB status for the CVM's platform in the TCB evaluation. */
  default String tcbStatus(CvmSnapshot cvm) {
    return "UpToDate";
  }
}
